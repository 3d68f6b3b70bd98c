/**
 * The `tools` section of the config file, as the tools read it, with the
 * defaults in one place. The schema (src/config/schema_agent.ts) validates
 * the file; this module only reads an already-valid object.
 *
 * @module
 */

import type { ToolsConfig } from "../../config/schema_agent.ts";
import { EXEC_MODES, TOOL_PROFILES } from "../../config/schema_agent.ts";

export type { ToolsConfig };
export { EXEC_MODES, TOOL_PROFILES };

/** A tool profile (spec 5.2): a base allow list before `allow`/`deny`. */
export type ToolProfile = typeof TOOL_PROFILES[number];

/**
 * An exec policy mode in force. `auto` in the config means the host default,
 * which for the gateway host is `full` (spec 3.5).
 */
export type ExecMode = "deny" | "allowlist" | "ask" | "full";

/** Defaults, named so the README and the tests quote the same numbers. */
export const TOOL_DEFAULTS = {
  readMaxLines: 2000,
  readMaxBytes: 50 * 1024,
  /** Largest image `read` attaches. */
  readMaxImageBytes: 10 * 1024 * 1024,
  /** Largest file `edit` loads, and largest `write` content. */
  fileMaxBytes: 10 * 1024 * 1024,
  lsLimit: 500,
  /** Directory entries `ls` scans at most before sorting. */
  lsMaxScan: 50_000,
  execTimeoutSeconds: 1800,
  execYieldMs: 10_000,
  execMaxOutputChars: 200_000,
  /** Longest command string accepted. */
  execMaxCommandChars: 64 * 1024,
  fetchTimeoutSeconds: 30,
  fetchMaxBytes: 2 * 1024 * 1024,
  fetchMaxChars: 50_000,
  fetchMaxRedirects: 3,
  /** Longest URL accepted. */
  fetchMaxUrlChars: 8192,
} as const;

/** The exec settings in force. */
export interface ExecSettings {
  mode: ExecMode;
  /** How long an approval waits for an operator (the approvals part reads it). */
  approvalTimeoutSeconds: number;
  allowlist: string[];
  timeoutSeconds: number;
  yieldMs: number;
  maxOutputChars: number;
}

/** Resolves `tools.exec` with defaults. */
export function execSettings(config: ToolsConfig | undefined): ExecSettings {
  const e = config?.exec ?? {};
  return {
    mode: e.mode === undefined || e.mode === "auto" ? "full" : e.mode,
    approvalTimeoutSeconds: e.approvalTimeoutSeconds ?? 1800,
    allowlist: e.allowlist ?? [],
    timeoutSeconds: e.timeoutSeconds ?? TOOL_DEFAULTS.execTimeoutSeconds,
    yieldMs: e.yieldMs ?? TOOL_DEFAULTS.execYieldMs,
    maxOutputChars: e.maxOutputChars ?? TOOL_DEFAULTS.execMaxOutputChars,
  };
}

/** The web_fetch settings in force. */
export interface FetchSettings {
  enabled: boolean;
  allowPrivateNetwork: boolean;
  timeoutSeconds: number;
  maxBytes: number;
  maxChars: number;
  maxRedirects: number;
}

/** Resolves `tools.web.fetch` with defaults. */
export function fetchSettings(config: ToolsConfig | undefined): FetchSettings {
  const f = config?.web?.fetch ?? {};
  return {
    enabled: f.enabled ?? true,
    allowPrivateNetwork: f.allowPrivateNetwork ?? false,
    timeoutSeconds: f.timeoutSeconds ?? TOOL_DEFAULTS.fetchTimeoutSeconds,
    maxBytes: f.maxBytes ?? TOOL_DEFAULTS.fetchMaxBytes,
    maxChars: f.maxChars ?? TOOL_DEFAULTS.fetchMaxChars,
    maxRedirects: f.maxRedirects ?? TOOL_DEFAULTS.fetchMaxRedirects,
  };
}
