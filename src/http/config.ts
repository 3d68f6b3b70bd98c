/**
 * The HTTP API's settings, resolved from the config in force with the spec's
 * defaults in one place, and the start-up check of the `hooks` section.
 * Pure and light (no Hono), so `config/runnable.ts` can import it.
 *
 * @module
 */

import type { GatewayConfig } from "../config/schema.ts";
import type { HookMapping } from "../config/schema_http.ts";
import { foldAgentId } from "../config/agents.ts";
import { safeEqualSecret } from "../server/auth.ts";

const MiB = 1024 * 1024;

/** Defaults named so the README and the tests quote the same numbers. */
export const HTTP_DEFAULTS = {
  chatMaxBodyBytes: 20 * MiB,
  imageMaxBytes: 10 * MiB,
  imageMaxTotalBytes: 20 * MiB,
  imageMaxParts: 8,
  fileMaxBytes: 5 * MiB,
  fileMaxChars: 200_000,
  toolsMaxBodyBytes: 2 * MiB,
  hooksMaxBodyBytes: 256 * 1024,
  hooksPath: "/hooks",
  /** Hook auth failures: 20 in 60 s lock an address out for 60 s. */
  hooksRateLimit: { maxAttempts: 20, windowMs: 60_000, lockoutMs: 60_000, exemptLoopback: false },
} as const;

/** Image limits of one endpoint. */
export interface ImageLimits {
  maxBytes: number;
  maxTotalBytes: number;
  maxParts: number;
}

/** The HTTP settings in force. */
export interface HttpSettings {
  chat: { enabled: boolean; maxBodyBytes: number; images: ImageLimits };
  responses: {
    enabled: boolean;
    maxBodyBytes: number;
    images: ImageLimits;
    files: { maxBytes: number; maxChars: number };
  };
  tools: { allow: string[]; deny: string[]; maxBodyBytes: number };
  hooks: {
    enabled: boolean;
    token?: string;
    path: string;
    maxBodyBytes: number;
    /** `undefined` = any agent. */
    allowedAgentIds?: string[];
    allowRequestSessionKey: boolean;
    allowedSessionKeyPrefixes?: string[];
    defaultSessionKey?: string;
    mappings: HookMapping[];
  };
  /** Extra headers on every API answer (`Strict-Transport-Security`). */
  headers: Record<string, string>;
}

/** Resolves {@link HttpSettings} from a validated config. */
export function httpSettings(config: GatewayConfig): HttpSettings {
  const http = config.gateway?.http ?? {};
  const chat = http.endpoints?.chatCompletions ?? {};
  const resp = http.endpoints?.responses ?? {};
  const hooks = config.hooks ?? {};
  const images = (i: { maxBytes?: number; maxTotalBytes?: number; maxParts?: number } = {}) => ({
    maxBytes: i.maxBytes ?? HTTP_DEFAULTS.imageMaxBytes,
    maxTotalBytes: i.maxTotalBytes ?? HTTP_DEFAULTS.imageMaxTotalBytes,
    maxParts: i.maxParts ?? HTTP_DEFAULTS.imageMaxParts,
  });
  const respImages = images(resp.images);
  const files = {
    maxBytes: resp.files?.maxBytes ?? HTTP_DEFAULTS.fileMaxBytes,
    maxChars: resp.files?.maxChars ?? HTTP_DEFAULTS.fileMaxChars,
  };
  const hsts = http.securityHeaders?.strictTransportSecurity;
  return {
    chat: {
      enabled: chat.enabled === true,
      maxBodyBytes: chat.maxBodyBytes ?? HTTP_DEFAULTS.chatMaxBodyBytes,
      images: images(chat.images),
    },
    responses: {
      enabled: resp.enabled === true,
      // Spec: max(20 MB, 2x file max, 2x image max) unless set.
      maxBodyBytes: resp.maxBodyBytes ??
        Math.max(HTTP_DEFAULTS.chatMaxBodyBytes, 2 * files.maxBytes, 2 * respImages.maxBytes),
      images: respImages,
      files,
    },
    tools: {
      allow: config.gateway?.tools?.allow ?? [],
      deny: config.gateway?.tools?.deny ?? [],
      maxBodyBytes: HTTP_DEFAULTS.toolsMaxBodyBytes,
    },
    hooks: {
      enabled: hooks.enabled === true,
      token: hooks.token,
      path: normalizeHooksPath(hooks.path),
      maxBodyBytes: hooks.maxBodyBytes ?? HTTP_DEFAULTS.hooksMaxBodyBytes,
      allowedAgentIds: hooks.allowedAgentIds === "*" || hooks.allowedAgentIds === undefined
        ? undefined
        : hooks.allowedAgentIds.map(foldAgentId),
      allowRequestSessionKey: hooks.allowRequestSessionKey === true,
      allowedSessionKeyPrefixes: hooks.allowedSessionKeyPrefixes,
      defaultSessionKey: hooks.defaultSessionKey,
      mappings: hooks.mappings ?? [],
    },
    headers: hsts ? { "Strict-Transport-Security": hsts } : {},
  };
}

function normalizeHooksPath(path: string | undefined): string {
  const p = (path ?? HTTP_DEFAULTS.hooksPath).trim();
  const withSlash = p.startsWith("/") ? p : `/${p}`;
  return withSlash.length > 1 ? withSlash.replace(/\/+$/, "") : withSlash;
}

/**
 * Why the `hooks` section cannot run, or `undefined`: checked at start and
 * on reload (config/runnable.ts) so a bad hooks setup refuses loudly instead
 * of serving an open or dead webhook.
 */
export function hooksConfigProblem(
  config: GatewayConfig,
  gatewaySecrets: { token?: string; password?: string },
): { key: string; message: string } | undefined {
  const hooks = config.hooks;
  if (!hooks?.enabled) return undefined;
  if (!hooks.token) {
    return {
      key: "hooks.token",
      message: "hooks.enabled is true but hooks.token is not set: add a long random " +
        "hooks.token (different from the gateway token), or set hooks.enabled to false",
    };
  }
  if (hooks.token.length < 16) {
    return {
      key: "hooks.token",
      message: "hooks.token is shorter than 16 characters: use a long random token " +
        '(e.g. "openssl rand -hex 32")',
    };
  }
  for (const secret of [gatewaySecrets.token, gatewaySecrets.password]) {
    if (secret && safeEqualSecret(hooks.token, secret)) {
      return {
        key: "hooks.token",
        message: "hooks.token must differ from the gateway token/password: a webhook " +
          "sender must not get operator access (set a separate hooks.token)",
      };
    }
  }
  if (normalizeHooksPath(hooks.path) === "/") {
    return {
      key: "hooks.path",
      message: 'hooks.path "/" would shadow every route: use a sub-path such as "/hooks"',
    };
  }
  const unsupported = hooks.presets?.length
    ? "hooks.presets"
    : hooks.transformsDir
    ? "hooks.transformsDir"
    : hooks.gmail
    ? "hooks.gmail"
    : hooks.mappings?.some((m) => m.transform)
    ? "hooks.mappings[].transform"
    : undefined;
  if (unsupported) {
    return {
      key: unsupported,
      message: `${unsupported} is set but this build runs no hook presets or transforms: ` +
        "remove it and use hooks.mappings with templates",
    };
  }
  return undefined;
}
