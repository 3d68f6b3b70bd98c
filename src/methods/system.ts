/**
 * `health`, `status`, `system-presence`, `system-event`.
 *
 * @module
 */

import type { Static } from "@sinclair/typebox";
import type {
  HealthSnapshot,
  StatusResult,
  SystemEventParams,
} from "../../protocol/schemas/system.ts";
import type { PresenceEntry } from "../../protocol/schemas/presence.ts";
import type { HealthParams } from "../../protocol/schemas/system.ts";
import type { CallContext } from "../server/router.ts";
import { hasScope } from "../server/scopes.ts";
import { withoutPaths } from "../server/health.ts";

/** What these handlers read and do. */
export interface SystemDeps {
  /** The health snapshot; `fresh` bypasses the short cache (`health {probe: true}`). */
  health(opts: { fresh?: boolean }): HealthSnapshot;
  status(): StatusResult & { gateway: NonNullable<StatusResult["gateway"]> };
  presence(): PresenceEntry[];
  /** Upserts a presence row from a structured note and broadcasts presence. */
  postSystemEvent(params: SystemEventParams): void;
}

/** Builds the system handlers. */
export function systemHandlers(deps: SystemDeps) {
  return {
    health: (params: Static<typeof HealthParams>, ctx: CallContext) => {
      const snapshot = deps.health({ fresh: params.probe === true });
      // Host paths are for clients that may read the gateway's state.
      return hasScope(ctx.scopes, "operator.read") ? snapshot : withoutPaths(snapshot);
    },
    status: (_params: Record<string, never>, ctx: CallContext): StatusResult => {
      const full = deps.status();
      // Paths and bind details are for admins only.
      if (hasScope(ctx.scopes, "operator.admin")) return full;
      const { gateway: _hidden, ...rest } = full;
      return rest;
    },
    "system-presence": () => deps.presence(),
    "system-event": (params: SystemEventParams) => {
      deps.postSystemEvent(params);
      return { ok: true as const };
    },
  };
}
