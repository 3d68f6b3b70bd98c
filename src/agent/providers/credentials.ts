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

function firstOfList(value: string): string | undefined {
  return value.split(/[,;]/).map((s) => s.trim()).find((s) => s.length > 0);
}

/** Resolves the credential of `providerId`; `kind: "none"` when nothing is set. */
export function resolveCredential(
  providerId: string,
  configKey: string | undefined,
  env: Env,
): ResolvedCredential {
  if (configKey && configKey.trim()) {
    return {
      apiKey: configKey.trim(),
      source: { kind: "config", name: `models.providers.${providerId}.apiKey` },
    };
  }
  const p = envPrefix(providerId);
  const live = env[`OPENCLAW_LIVE_${p}_KEY`]?.trim();
  if (live) return { apiKey: live, source: { kind: "env", name: `OPENCLAW_LIVE_${p}_KEY` } };
  const list = env[`${p}_API_KEYS`];
  const fromList = list ? firstOfList(list) : undefined;
  if (fromList) return { apiKey: fromList, source: { kind: "env", name: `${p}_API_KEYS` } };
  const single = env[`${p}_API_KEY`]?.trim();
  if (single) return { apiKey: single, source: { kind: "env", name: `${p}_API_KEY` } };
  const numbered = Object.keys(env)
    .filter((k) => k.startsWith(`${p}_API_KEY_`) && /^\d+$/.test(k.slice(p.length + 9)))
    .sort((a, b) => Number(a.slice(p.length + 9)) - Number(b.slice(p.length + 9)));
  for (const name of numbered) {
    const v = env[name]?.trim();
    if (v) return { apiKey: v, source: { kind: "env", name } };
  }
  return { source: { kind: "none" } };
}

/** The spec's error text when no credential resolves (spec 2.3, observed verbatim). */
export function noCredentialMessage(providerId: string): string {
  return `No route-compatible authentication source is configured for ${providerId}.`;
}
