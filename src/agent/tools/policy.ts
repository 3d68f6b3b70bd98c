/**
 * Which tools a run gets (spec 5.2): `tools.profile` gives the base list,
 * `alsoAllow` extends it, `allow` narrows it, `deny` always wins. Entries
 * are names (case-insensitive), `*` wildcards or `group:<name>`; `bash` is
 * an alias of `exec`. Removed tools are never sent to the model.
 *
 * @module
 */

import type { ToolProfile, ToolsConfig } from "./config.ts";

/** Tool groups usable as `group:<name>` in allow/deny lists. */
export const TOOL_GROUPS: Readonly<Record<string, readonly string[]>> = {
  fs: ["read", "write", "edit", "ls", "apply_patch"],
  runtime: ["exec", "process"],
  web: ["web_fetch", "web_search"],
  sessions: ["sessions_list", "sessions_history", "session_status"],
  messaging: ["message"],
  nodes: ["nodes"],
};

/** What each profile allows (`full`: everything). From the captured `tools.catalog`. */
export const PROFILE_TOOLS: Readonly<Record<Exclude<ToolProfile, "full">, readonly string[]>> = {
  minimal: ["session_status"],
  coding: ["group:fs", "group:runtime", "group:web", "group:sessions"],
  messaging: ["group:messaging", "sessions_list", "sessions_history", "session_status"],
};

/**
 * Tools `POST /tools/invoke` refuses unless the operator allows them there
 * explicitly: they touch the host's files, processes or network.
 */
export const HTTP_INVOKE_DEFAULT_DENY: readonly string[] = [
  "read",
  "write",
  "edit",
  "ls",
  "exec",
  "process",
  "web_fetch",
];

const ALIASES: Record<string, string> = { bash: "exec" };

/** Lower-cases a tool name and maps aliases (`bash` -> `exec`). */
export function canonicalToolName(name: string): string {
  const n = name.trim().toLowerCase();
  return ALIASES[n] ?? n;
}

function expand(entries: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of entries) {
    const e = raw.trim().toLowerCase();
    if (e.startsWith("group:")) out.push(...(TOOL_GROUPS[e.slice(6)] ?? []));
    else out.push(canonicalToolName(e));
  }
  return out;
}

function matchesAny(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => {
    if (!p.includes("*")) return p === name;
    const re = new RegExp(
      `^${p.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`,
    );
    return re.test(name);
  });
}

/** A compiled policy. */
export interface ToolPolicy {
  /** Whether `name` (any case, aliases allowed) passes the policy. */
  allows(name: string): boolean;
}

/** Compiles `tools.profile/allow/alsoAllow/deny`. */
export function compileToolPolicy(config: ToolsConfig | undefined): ToolPolicy {
  const profile = config?.profile ?? "full";
  const base = profile === "full" ? undefined : expand(PROFILE_TOOLS[profile]);
  const also = expand(config?.alsoAllow ?? []);
  const allow = config?.allow?.length ? expand(config.allow) : undefined;
  const deny = expand(config?.deny ?? []);
  return {
    allows(raw) {
      const name = canonicalToolName(raw);
      if (matchesAny(name, deny)) return false;
      if (base && !matchesAny(name, base) && !matchesAny(name, also)) return false;
      if (allow && !matchesAny(name, allow) && !matchesAny(name, also)) return false;
      return true;
    },
  };
}

/** Every built-in tool name a policy entry can name (groups and profiles included). */
const KNOWN_TOOLS: readonly string[] = [
  ...new Set([...Object.values(TOOL_GROUPS).flat(), ...Object.values(PROFILE_TOOLS).flat()]),
].filter((n) => !n.startsWith("group:"));

/**
 * The entries of `tools.allow/alsoAllow/deny` that match no known tool or
 * group (`exce`, `group:nope`): a typo in `allow` silently leaves the
 * agent with no tools, so start and reload warn naming them. `where` is
 * the config key of `config` (`tools`, `agents.list.0.tools`).
 */
export function unknownToolEntries(
  config: ToolsConfig | undefined,
  where = "tools",
): string[] {
  const out: string[] = [];
  for (const key of ["allow", "alsoAllow", "deny"] as const) {
    for (const raw of config?.[key] ?? []) {
      const e = raw.trim().toLowerCase();
      const known = e.startsWith("group:")
        ? Object.hasOwn(TOOL_GROUPS, e.slice(6))
        : KNOWN_TOOLS.some((name) => matchesAny(name, [canonicalToolName(e)]));
      if (!known) {
        out.push(
          `${where}.${key} entry ${JSON.stringify(raw.slice(0, 80))} matches no tool or group ` +
            `(tools: ${KNOWN_TOOLS.join(", ")}; groups: ${
              Object.keys(TOOL_GROUPS).map((g) => `group:${g}`).join(", ")
            }): fix the name` + (key === "allow" ? ", or the agent may get no tools at all" : ""),
        );
      }
    }
  }
  return out;
}
