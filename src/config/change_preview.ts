/**
 * What a config change would do, key by key, before it is written: the
 * reload planner's verdict per changed path (live, no action, or restart),
 * for `config.validate` and the control UI's config editor. Pure.
 *
 * @module
 */

import type { ConfigSnapshot } from "./load.ts";
import { diffConfigPaths } from "./diff.ts";
import { planReload } from "./reload_plan.ts";
import type { Runnable } from "./runnable.ts";
import type { ReloadMode } from "./schema.ts";

/** One changed key and what writing it leads to. */
export interface KeyEffect {
  /** Dotted key path. */
  path: string;
  /** `hot`: applied live by an action; `none`: read live, nothing to do; `restart`: the gateway restarts. */
  effect: "hot" | "none" | "restart";
  /** The live action (`set-log-level`, `restart-channel:telegram`, ...). */
  action?: string;
}

/** What a config change would do. */
export interface ChangePreview {
  /** The reload mode a config RPC write is planned with. */
  mode: Exclude<ReloadMode, "off">;
  /** Whether the gateway restarts in process to apply the change. */
  restart: boolean;
  changes: KeyEffect[];
}

/**
 * The mode a config RPC write is planned with: the one in force, or while it
 * is "off" the new file's own, "hybrid" if that is "off" too (RPC writes
 * always apply; see `config/reload.ts`).
 */
export function writeMode(
  inForce: ReloadMode | undefined,
  next: ReloadMode,
): ChangePreview["mode"] {
  const mode = !inForce || inForce === "off" ? next : inForce;
  return mode === "off" ? "hybrid" : mode;
}

/** The preview of replacing the config in force (`current`) with `next`. */
export function previewChange(
  current: ConfigSnapshot,
  next: ConfigSnapshot,
  mode: ChangePreview["mode"],
): ChangePreview {
  const paths = diffConfigPaths(current.config, next.config);
  const plan = planReload(paths, mode);
  const hot = new Map<string, string>();
  for (const h of plan.hot) for (const p of h.paths) hot.set(p, h.action);
  const changes = paths.map((path): KeyEffect => {
    if (mode === "restart" || plan.restartReasons.includes(path)) {
      return { path, effect: "restart" };
    }
    const action = hot.get(path);
    return action ? { path, effect: "hot", action } : { path, effect: "none" };
  });
  return { mode, restart: plan.restart, changes };
}

/** The reload mode in a verdict of `checkRunnable`, if it ran. */
export function modeOf(verdict: Runnable): ReloadMode | undefined {
  return verdict.ok ? verdict.settings.reload.mode : undefined;
}
