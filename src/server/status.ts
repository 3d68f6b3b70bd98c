/**
 * The `status` summary: a short view of the running gateway, with paths and
 * bind details that `system.ts` shows to admins only.
 *
 * @module
 */

import type { ConfigState } from "../../protocol/schemas/config.ts";
import type { HealthSnapshot, ModelHealth, StatusResult } from "../../protocol/schemas/system.ts";
import { MAX_PROTOCOL } from "../../protocol/version.ts";
import type { GatewaySettings } from "../config/settings.ts";
import { VERSION } from "../version.ts";

/** The live numbers a status reads. */
export interface StatusSources {
  settings: GatewaySettings;
  startedAt: number;
  port: number;
  /** The canvas listener's port, when it runs. */
  canvasPort?: number;
  logFile: string;
  connections: number;
  presenceCount: number;
  sessionCount: number;
  config: ConfigState;
  /** Configured channels (`{telegram: {configured: true}}`). */
  channels?: StatusResult["channels"];
  model?: ModelHealth;
}

/** A full status (the `gateway` part included). */
export function buildStatus(
  src: StatusSources,
): StatusResult & { gateway: NonNullable<StatusResult["gateway"]> } {
  const cfg = src.config;
  return {
    ok: cfg.valid && !cfg.lastReloadError,
    version: VERSION,
    runtimeVersion: `deno ${Deno.version.deno}`,
    pid: Deno.pid,
    uptimeMs: Date.now() - src.startedAt,
    protocol: MAX_PROTOCOL,
    connections: src.connections,
    presenceCount: src.presenceCount,
    authMode: src.settings.auth.mode,
    channels: src.channels ?? {},
    sessions: { count: src.sessionCount },
    ...(src.model ? { model: src.model } : {}),
    config: {
      valid: cfg.valid,
      issueCount: cfg.issues.length,
      issues: cfg.issues,
      ...(cfg.lastReloadError ? { lastReloadError: cfg.lastReloadError } : {}),
    },
    gateway: {
      port: src.port,
      bind: src.settings.bind,
      bindHost: src.settings.bindHost,
      configPath: src.settings.paths.configPath,
      stateDir: src.settings.paths.stateDir,
      logFile: src.logFile,
      ...(src.canvasPort !== undefined ? { canvasPort: src.canvasPort } : {}),
    },
  };
}

/** The running parts a live status reads, each narrowed to what it asks. */
export interface LiveStatusParts {
  settings(): GatewaySettings;
  startedAt: number;
  /** The gateway listener's port (read per call: it exists once listening). */
  port(): number;
  canvas: { port(): number | undefined };
  sink: { currentFile(): string | undefined; redactor: { value(v: unknown): unknown } };
  hub: { readonly size: number };
  presence: { readonly size: number };
  health: { snapshot(): HealthSnapshot };
  configState(): ConfigState;
  channels: { health(): HealthSnapshot["channels"] };
  agent?: { modelHealth(): ModelHealth };
}

/**
 * The `status` method's reader over the running parts. Masked: a
 * substituted customBindHost (or any `${VAR}` value) must not go out in answers.
 */
export function liveStatus(parts: LiveStatusParts): () => ReturnType<typeof buildStatus> {
  const { agent } = parts;
  return () =>
    parts.sink.redactor.value(buildStatus({
      settings: parts.settings(),
      startedAt: parts.startedAt,
      port: parts.port(),
      canvasPort: parts.canvas.port(),
      logFile: parts.sink.currentFile() ?? "",
      connections: parts.hub.size,
      presenceCount: parts.presence.size,
      sessionCount: parts.health.snapshot().sessions.count,
      config: parts.configState(),
      channels: statusChannels(parts.channels.health()),
      ...(agent ? { model: agent.modelHealth() } : {}),
    })) as ReturnType<typeof buildStatus>;
}

/** The `channels` part of a status from the health rows: configured, and linked when known. */
export function statusChannels(rows: HealthSnapshot["channels"]): StatusResult["channels"] {
  return Object.fromEntries(
    Object.entries(rows).map(([id, c]) => [id, {
      configured: c.configured,
      ...(c.linked !== undefined ? { linked: c.linked } : {}),
    }]),
  );
}
