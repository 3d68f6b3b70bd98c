/**
 * The reload planner: changed config paths + reload mode -> what to do. Pure.
 * Each path takes the rule with the longest matching prefix; a path no rule
 * matches needs a restart (unknown means unsafe).
 *
 * @module
 */

import type { ReloadMode } from "./schema.ts";

/** What a rule says about a changed path. */
export type RuleKind = "none" | "hot" | "restart";

/** One row of the rule table. */
export interface ReloadRule {
  /** Dotted path prefix; matches the path itself and anything below it. */
  prefix: string;
  kind: RuleKind;
  /**
   * The hot action. `restart-channel:` gets the channel id appended
   * (`channels.telegram.x` -> `restart-channel:telegram`, `*` for the whole section).
   */
  action?: string;
  /** Why, for the README table. */
  note: string;
}

/** The rule table (documented in README.md, "Which keys need a restart"; keep the two in step). */
export const RELOAD_RULES: readonly ReloadRule[] = [
  { prefix: "$schema", kind: "none", note: "editor hint" },
  { prefix: "meta", kind: "none", note: "bookkeeping" },
  { prefix: "commands", kind: "none", note: "read when a SIGUSR1 arrives" },
  {
    prefix: "logging",
    kind: "none",
    note: "logging.level applies live; logging.file is accepted but not read",
  },
  { prefix: "logging.level", kind: "hot", action: "set-log-level", note: "file log level" },
  { prefix: "hooks", kind: "hot", action: "reload-hooks", note: "hook mappings" },
  { prefix: "hooks.gmail", kind: "hot", action: "restart-gmail-watcher", note: "Gmail watcher" },
  { prefix: "agents", kind: "none", note: "agents read live config" },
  { prefix: "models", kind: "none", note: "the agent reads providers on every turn" },
  { prefix: "tools", kind: "none", note: "the agent applies tool policy on every turn" },
  {
    prefix: "agents.defaults.heartbeat",
    kind: "hot",
    action: "restart-heartbeat",
    note: "heartbeat timer",
  },
  {
    prefix: "agents.defaults.model",
    kind: "hot",
    action: "restart-heartbeat",
    note: "heartbeat model",
  },
  {
    prefix: "agents.defaults.models",
    kind: "hot",
    action: "restart-heartbeat",
    note: "heartbeat models",
  },
  {
    prefix: "channels",
    kind: "hot",
    action: "restart-channel:",
    note: "restarts only that channel",
  },
  { prefix: "channels.mediaLocalRoots", kind: "none", note: "read on every send" },
  { prefix: "session", kind: "none", note: "read live" },
  { prefix: "messages", kind: "none", note: "read live" },
  { prefix: "gateway", kind: "restart", note: "listener, bind, TLS, every gateway.auth key" },
  { prefix: "gateway.mode", kind: "none", note: "must stay local: checkRunnable refuses others" },
  { prefix: "gateway.reload", kind: "none", note: "read on the next change" },
  { prefix: "gateway.remote", kind: "none", note: "CLI-side setting" },
  { prefix: "gateway.controlUi", kind: "none", note: "no listener-time use" },
  { prefix: "gateway.http", kind: "none", note: "no listener-time use" },
  { prefix: "gateway.nodes", kind: "none", note: "read per command" },
  { prefix: "canvasHost", kind: "restart", note: "separate listener" },
];

/** A hot action and the changed paths that asked for it. */
export interface HotAction {
  action: string;
  paths: string[];
}

/** What a config change leads to. */
export interface ReloadPlan {
  mode: ReloadMode;
  /** Whether the gateway restarts in process. */
  restart: boolean;
  /** Actions applied live (when not restarting; a restart covers them). */
  hot: HotAction[];
  /** Paths adopted with no action (consumers read the live config). */
  noop: string[];
  /** Paths that need a restart (in `hot` mode: logged, not applied). */
  restartReasons: string[];
}

function matches(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`);
}

/** The rule for `path`: the longest matching prefix, or `undefined` (=> restart). */
export function ruleFor(
  path: string,
  rules: readonly ReloadRule[] = RELOAD_RULES,
): ReloadRule | undefined {
  let best: ReloadRule | undefined;
  for (const rule of rules) {
    if (matches(path, rule.prefix) && (!best || rule.prefix.length > best.prefix.length)) {
      best = rule;
    }
  }
  return best;
}

function actionFor(rule: ReloadRule, path: string): string {
  if (!rule.action!.endsWith(":")) return rule.action!;
  const rest = path.slice(rule.prefix.length + 1);
  return `${rule.action}${rest ? rest.split(".")[0] : "*"}`;
}

/**
 * Plans a reload. `hybrid`: hot where safe, restart when any path needs it.
 * `hot`: hot actions only; restart-needing paths are reported, not acted on.
 * `restart`: any change restarts. `off`: nothing (every path is a no-op).
 */
export function planReload(
  paths: readonly string[],
  mode: ReloadMode,
  rules: readonly ReloadRule[] = RELOAD_RULES,
): ReloadPlan {
  const plan: ReloadPlan = { mode, restart: false, hot: [], noop: [], restartReasons: [] };
  if (mode === "off") {
    plan.noop = [...paths];
    return plan;
  }
  const hot = new Map<string, string[]>();
  for (const path of paths) {
    const rule = ruleFor(path, rules);
    if (!rule || rule.kind === "restart") plan.restartReasons.push(path);
    else if (rule.kind === "none") plan.noop.push(path);
    else {
      const action = actionFor(rule, path);
      hot.set(action, [...(hot.get(action) ?? []), path]);
    }
  }
  plan.hot = [...hot].map(([action, p]) => ({ action, paths: p }));
  plan.restart = mode === "restart"
    ? paths.length > 0
    : mode === "hybrid" && plan.restartReasons.length > 0;
  return plan;
}
