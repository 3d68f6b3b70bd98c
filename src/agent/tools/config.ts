/**
 * The `tools` section of the config file, as the tools read it, with the
 * defaults in one place. The schema (src/config/schema_agent.ts) validates
 * the file; this module only reads an already-valid object.
 *
 * @module
 */

/** Tool profiles (spec 5.2): a base allow list before `allow`/`deny`. */
export const TOOL_PROFILES = ["minimal", "coding", "messaging", "full"] as const;
/** A tool profile. */
export type ToolProfile = typeof TOOL_PROFILES[number];

/** Exec policy modes (spec 5.2, `tools.exec.mode`). */
export const EXEC_MODES = ["deny", "allowlist", "ask", "full"] as const;
/** An exec policy mode. */
export type ExecMode = typeof EXEC_MODES[number];

/** `tools.*` keys the tools understand. */
export interface ToolsConfig {
  /** Base allow list; unset means `full`. */
  profile?: ToolProfile;
  /** Only these (names, `*` wildcards, `group:<name>`); unset means all of the profile. */
  allow?: string[];
  /** Added to the profile's list. */
  alsoAllow?: string[];
  /** Never these; deny wins over every allow. */
  deny?: string[];
  fs?: {
    /** File tools refuse paths outside the workspace (default true). */
    workspaceOnly?: boolean;
  };
  exec?: {
    /** Default `full` (spec: gateway host runs with no approval). */
    mode?: ExecMode;
    /** Binary patterns for `allowlist`/`ask`: a glob on the resolved path, or on the name when it has no `/`. */
    allowlist?: string[];
    /** Default process lifetime in seconds when the call gives none (0 = none). */
    timeoutSeconds?: number;
    /** Milliseconds before a foreground command is moved to the background. */
    yieldMs?: number;
    /** Characters of output kept per command (the tail). */
    maxOutputChars?: number;
  };
  web?: {
    fetch?: {
      /** Default true. */
      enabled?: boolean;
      /** Allow loopback, private, link-local destinations (default false). */
      allowPrivateNetwork?: boolean;
      timeoutSeconds?: number;
      /** Bytes of body read at most. */
      maxBytes?: number;
      /** Characters of extracted text returned at most. */
      maxChars?: number;
      maxRedirects?: number;
    };
  };
}

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
  allowlist: string[];
  timeoutSeconds: number;
  yieldMs: number;
  maxOutputChars: number;
}

/** Resolves `tools.exec` with defaults. */
export function execSettings(config: ToolsConfig | undefined): ExecSettings {
  const e = config?.exec ?? {};
  return {
    mode: e.mode ?? "full",
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
