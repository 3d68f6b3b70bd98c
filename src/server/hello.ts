/**
 * The `hello-ok` answer to an accepted `connect`: server identity, the
 * method and event lists, a state snapshot and the granted auth.
 *
 * @module
 */

import { EVENT_NAMES } from "../../protocol/events.ts";
import type { HelloOk } from "../../protocol/schemas/connect.ts";
import type { PresenceEntry } from "../../protocol/schemas/presence.ts";
import type { HealthSnapshot } from "../../protocol/schemas/system.ts";
import type { GatewaySettings } from "../config/settings.ts";
import { VERSION } from "../version.ts";
import { withoutPaths } from "./health.ts";
import { hasScope } from "./scopes.ts";

/** The live state a `hello-ok` reads (each read when a client connects). */
export interface HelloSources {
  /** This machine's host name (sent to protocol < 4 clients only). */
  host: string;
  /** When the process started: `uptimeMs` survives in-process restarts. */
  startedAt: number;
  settings(): GatewaySettings;
  methods(): string[];
  presence(): PresenceEntry[];
  health(): HealthSnapshot;
  stateVersion(): { presence: number; health: number };
}

/** What the handshake granted, as `hello-ok` reports it. */
export interface HelloGrant {
  protocol: number;
  role: string;
  scopes: string[];
  device?: { token: string; issuedAtMs: number };
}

/** The default agent and main session a client should address (configured, else `main`). */
export function sessionDefaults(
  settings: Pick<GatewaySettings, "agents" | "channels">,
): NonNullable<HelloOk["snapshot"]["sessionDefaults"]> {
  const defaultAgentId = settings.agents?.defaultId ?? "main";
  const mainKey = settings.channels?.mainKey ?? "main";
  return { defaultAgentId, mainKey, mainSessionKey: `agent:${defaultAgentId}:${mainKey}` };
}

/** Builds `hello-ok` for one accepted session. */
export function buildHelloOk(connId: string, accepted: HelloGrant, src: HelloSources): HelloOk {
  const settings = src.settings();
  // Host paths only for clients that may read the gateway's state.
  const reader = hasScope(accepted.scopes, "operator.read");
  return {
    type: "hello-ok",
    protocol: accepted.protocol,
    server: accepted.protocol >= 4
      ? { version: VERSION, connId }
      : { version: VERSION, connId, host: src.host },
    features: { methods: src.methods(), events: [...EVENT_NAMES] },
    snapshot: {
      presence: src.presence(),
      health: reader ? src.health() : withoutPaths(src.health()),
      stateVersion: src.stateVersion(),
      uptimeMs: Date.now() - src.startedAt,
      ...(reader
        ? { configPath: settings.paths.configPath, stateDir: settings.paths.stateDir }
        : {}),
      sessionDefaults: sessionDefaults(settings),
      authMode: settings.auth.mode,
    },
    auth: {
      role: accepted.role,
      scopes: accepted.scopes,
      ...(accepted.device
        ? { deviceToken: accepted.device.token, issuedAtMs: accepted.device.issuedAtMs }
        : {}),
    },
    policy: { ...settings.policy },
  };
}
