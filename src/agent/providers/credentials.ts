/**
 * Where a provider's key comes from (spec 2.3), highest first: the config's
 * `models.providers.<id>.apiKey` (already `${ENV}`-substituted by the config
 * loader), then `OPENCLAW_LIVE_<P>_KEY`, `<P>_API_KEYS` (comma or semicolon
 * list; the first entry), `<P>_API_KEY`, and `<P>_API_KEY_<n>` numbered keys.
 * `<P>` is the provider id in upper case with other characters as `_`.
 *
 * The key itself never leaves {@link ResolvedCredential}; everything that is
 * logged or answered uses {@link CredentialSource}.
 *
 * @module
 */

import type { Env } from "../../config/paths.ts";
import type { CredentialSource } from "../types.ts";

/** A resolved key and where it came from. */
export interface ResolvedCredential {
  apiKey?: string;
  source: CredentialSource;
}

/** `my-provider` -> `MY_PROVIDER`. */
export function envPrefix(providerId: string): string {
  return providerId.toUpperCase().replace(/[^A-Z0-9]/g, "_");
}

function splitList(value: string): string[] {
  return value.split(/[,;]/).map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Every credential of `providerId`, in priority order, without duplicates:
 * the config key alone when set; otherwise the env keys (live, list entries,
 * single, numbered). Rotation on rate limits walks this list (spec 2.3).
 */
export function credentialCandidates(
  providerId: string,
  configKey: string | undefined,
  env: Env,
): ResolvedCredential[] {
  if (configKey && configKey.trim()) {
    return [{
      apiKey: configKey.trim(),
      source: { kind: "config", name: `models.providers.${providerId}.apiKey` },
    }];
  }
  const p = envPrefix(providerId);
  const out: ResolvedCredential[] = [];
  const add = (apiKey: string | undefined, name: string) => {
    if (apiKey && !out.some((c) => c.apiKey === apiKey)) {
      out.push({ apiKey, source: { kind: "env", name } });
    }
  };
  add(env[`OPENCLAW_LIVE_${p}_KEY`]?.trim(), `OPENCLAW_LIVE_${p}_KEY`);
  for (const key of splitList(env[`${p}_API_KEYS`] ?? "")) add(key, `${p}_API_KEYS`);
  add(env[`${p}_API_KEY`]?.trim(), `${p}_API_KEY`);
  const numbered = Object.keys(env)
    .filter((k) => k.startsWith(`${p}_API_KEY_`) && /^\d+$/.test(k.slice(p.length + 9)))
    .sort((a, b) => Number(a.slice(p.length + 9)) - Number(b.slice(p.length + 9)));
  for (const name of numbered) add(env[name]?.trim(), name);
  return out;
}

/** Resolves the credential of `providerId`; `kind: "none"` when nothing is set. */
export function resolveCredential(
  providerId: string,
  configKey: string | undefined,
  env: Env,
): ResolvedCredential {
  return credentialCandidates(providerId, configKey, env)[0] ?? { source: { kind: "none" } };
}

/** The spec's error text when no credential resolves (spec 2.3, observed verbatim). */
export function noCredentialMessage(providerId: string): string {
  return `No route-compatible authentication source is configured for ${providerId}.`;
}
