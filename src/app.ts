/**
 * Composition root of one gateway instance: builds the parts from resolved
 * settings, starts them in order, and stops them in reverse. An in-process
 * restart throws an instance away and builds a new one.
 *
 * @module
 */

import { EVENT_NAMES } from "../protocol/events.ts";
import type { ConfigState } from "../protocol/schemas/config.ts";
import type { HelloOk } from "../protocol/schemas/connect.ts";
import type { PresenceEntry } from "../protocol/schemas/presence.ts";
import type { SystemEventParams } from "../protocol/schemas/system.ts";
import type { GatewaySettings } from "./config/settings.ts";
import type { LogSink } from "./log/logger.ts";
import { buildHandlers, type ProcessMethodDeps } from "./methods/mod.ts";
import { AuthRateLimiter, isLoopbackAddress } from "./server/auth.ts";
import { DedupeCache } from "./server/dedupe.ts";
import { CloseCodes, decideConnect } from "./server/handshake.ts";
import { HEALTH_REFRESH_MS, HealthMonitor } from "./server/health.ts";
import { createHttpHandler } from "./server/http.ts";
import { Hub } from "./server/hub.ts";
import { PresenceStore } from "./server/presence.ts";
import { clientPresence } from "./server/client_presence.ts";
import { type CallContext, Router } from "./server/router.ts";
import { listen, type Listener, upgradeWebSocket } from "./server/serve.ts";
import { WsSession } from "./server/ws_session.ts";
import { VERSION } from "./version.ts";
import { hostName, selfIp } from "./runtime/host_info.ts";
import { buildStatus } from "./server/status.ts";
import { GatewayError } from "./errors.ts";
import type { GatewayConfig } from "./config/schema.ts";
import type { Env } from "./config/paths.ts";
import { type AgentRuntime, createAgentEngine } from "./agent/mod.ts";
import type { RunEvent } from "./agent/types.ts";
import { createHttpApi, httpAgent, type ReadyCheck } from "./http/mod.ts";

/** At most this many sockets may wait for their handshake at once... */
export const MAX_PENDING = 1024;
/** ...and at most this many from one address. */
export const MAX_PENDING_PER_IP = 64;

/** Presence changes within this window go out as one `presence` event. */
export const PRESENCE_COALESCE_MS = 100;

/** Inputs of one instance. */
export interface GatewayOptions {
  settings: GatewaySettings;
  sink: LogSink;
  /** Health of the config file (valid, issues, last reload error). */
  configState: () => ConfigState;
  /** When the process started: uptime survives in-process restarts. */
  startedAt?: number;
  /** Deps of the process-level methods (`logs.tail`, `config.*`). */
  processMethods?: ProcessMethodDeps;
  /**
   * The config in force and the environment: with them the instance runs
   * the agent (`agent`, `chat.*`, `sessions.*`); read live, so `models`,
   * `agents` and `tools` edits apply to the next turn without a restart.
   */
  agent?: { config: () => GatewayConfig; env: Env };
  /** Readiness of configured channels for `/ready` (a failing check answers 503). */
  readinessChecks?: () => ReadyCheck[];
}

/** A running instance. */
export interface GatewayInstance {
  readonly hostname: string;
  readonly port: number;
  /** `ws://host:port` clients connect to. */
  readonly url: string;
  readonly settings: GatewaySettings;
  /** Number of authenticated connections. */
  connections(): number;
  /** Re-reads health and pushes a `health` event (config state changed, ...). */
  refreshHealth(): void;
  /**
   * Swaps in settings that apply live (log level, reload mode,
   * `commands.restart`). Listener and auth settings take a restart: the
   * running ones are kept.
   */
  applyHotSettings(settings: GatewaySettings): void;
  /** Broadcasts `shutdown`, closes every socket and the listener. */
  stop(opts: { reason: string; restartExpectedMs?: number }): Promise<void>;
}

/** Builds and starts a gateway instance; throws `ListenError` when it cannot bind. */
export function startGateway(opts: GatewayOptions): GatewayInstance {
  let settings = opts.settings;
  const log = opts.sink.logger("gateway");
  const wsLog = opts.sink.logger("ws");
  const startedAt = opts.startedAt ?? Date.now();
  const host = hostName();
  opts.sink.redactor.setSecrets([settings.auth.token, settings.auth.password]);

  const hub = new Hub();
  const pending = new Set<WsSession>();
  // Sockets the transport has not reported closed yet: stop() waits for them.
  const live = new Set<WsSession>();
  let drained: (() => void) | undefined;
  const limiter = new AuthRateLimiter(settings.auth.rateLimit, {
    onLockout: (key, ms) =>
      log.warn(
        `auth: ${key} locked out for ${Math.round(ms / 1000)} s after repeated failures ` +
          "(gateway.auth.rateLimit)",
        { key, lockoutMs: ms },
      ),
  });
  // A retryable or internal failure invites a retry: do not replay it.
  const dedupe = new DedupeCache({
    forgetError: (err) => !(err instanceof GatewayError) || err.retryable === true,
  });
  const presence = new PresenceStore({
    host,
    ip: selfIp(),
    version: VERSION,
    platform: Deno.build.os,
    deviceFamily: Deno.build.arch,
    mode: "gateway",
    reason: "self",
  });
  const agent: AgentRuntime | undefined = opts.agent
    ? createAgentEngine({
      config: opts.agent.config,
      env: opts.agent.env,
      stateDir: settings.paths.stateDir,
      log: opts.sink.logger("agent"),
      startedAt,
    })
    : undefined;
  // Sockets that asked for `tool` stream events (connect caps `tool-events`).
  const toolEventConns = new Set<string>();
  const toolOnly = (connId: string) => toolEventConns.has(connId);
  const unsubscribeAgent = agent?.engine.subscribe((ev: RunEvent) =>
    hub.broadcast(ev.event, ev.payload, {
      only: ev.event === "agent" && ev.toolEvent ? toolOnly : undefined,
    })
  );
  let engineStarted = !agent;
  void agent?.engine.start().then(() => (engineStarted = true));
  const health = new HealthMonitor({
    version: VERSION,
    startedAt,
    sessionsPath: `${settings.paths.stateDir}/agents/main/sessions/sessions.json`,
    configState: opts.configState,
    ...(agent ? { model: () => agent.modelHealth() } : {}),
  });
  let stopping = false;
  let lastCapWarning = 0;

  const stateVersion = () => ({ presence: presence.version, health: health.version });
  // Coalesced: a burst of connects costs one broadcast, not one per client
  // to every client (quadratic); stateVersion tells clients what is newest.
  let presenceTimer: ReturnType<typeof setTimeout> | undefined;
  const broadcastPresence = () => {
    presenceTimer ??= setTimeout(() => {
      presenceTimer = undefined;
      hub.broadcast("presence", { presence: presence.list() }, { stateVersion: stateVersion() });
    }, PRESENCE_COALESCE_MS);
  };

  const status = () =>
    buildStatus({
      settings,
      startedAt,
      port: listener.port,
      logFile: opts.sink.currentFile() ?? "",
      connections: hub.size,
      presenceCount: presence.size,
      sessionCount: health.snapshot().sessions.count,
      config: opts.configState(),
      ...(agent ? { model: agent.modelHealth() } : {}),
    });

  const postSystemEvent = (p: SystemEventParams) => {
    const key = (p.deviceId ?? p.instanceId ?? p.host ?? p.ip ?? p.text.slice(0, 64)).toLowerCase();
    const { sessionKey: _s, wake: _w, ...fields } = p;
    presence.upsert(key, fields);
    broadcastPresence();
  };

  const router = new Router({
    handlers: buildHandlers({
      system: {
        health: (o) => health.snapshot(o),
        status,
        presence: () => presence.list(),
        postSystemEvent,
      },
      process: opts.processMethods,
      agent,
    }),
    dedupe,
    log: opts.sink.logger("rpc"),
  });

  const hello = (
    session: WsSession,
    accepted: { protocol: number; role: string; scopes: string[] },
  ): HelloOk => ({
    type: "hello-ok",
    protocol: accepted.protocol,
    server: accepted.protocol >= 4
      ? { version: VERSION, connId: session.connId }
      : { version: VERSION, connId: session.connId, host },
    features: { methods: router.methods(), events: [...EVENT_NAMES] },
    snapshot: {
      presence: presence.list(),
      health: health.snapshot(),
      stateVersion: stateVersion(),
      uptimeMs: Date.now() - startedAt,
      configPath: settings.paths.configPath,
      stateDir: settings.paths.stateDir,
      sessionDefaults: {
        defaultAgentId: "main",
        mainKey: "main",
        mainSessionKey: "agent:main:main",
      },
      authMode: settings.auth.mode,
    },
    auth: { role: accepted.role, scopes: accepted.scopes },
    policy: { ...settings.policy },
  });

  const opened = (session: WsSession) => {
    pending.delete(session);
    hub.add(session);
    if (session.params?.caps?.includes("tool-events")) toolEventConns.add(session.connId);
    const row = clientPresence(session);
    if (!row) return;
    presence.connect(row.key, row.entry);
    broadcastPresence();
  };

  const closed = (session: WsSession) => {
    hub.remove(session.connId);
    toolEventConns.delete(session.connId);
    wsLog.debug("disconnected", { connId: session.connId });
    const row = clientPresence(session);
    if (!row || stopping) return;
    if (presence.disconnect(row.key)) broadcastPresence();
  };

  const sessionDeps = {
    policy: () => settings.policy,
    handshakeTimeoutMs: settings.handshakeTimeoutMs,
    log: wsLog,
    decide: (params: Parameters<typeof decideConnect>[0], peer: { remoteIp: string }) =>
      decideConnect(params, { auth: settings.auth, limiter, remoteIp: peer.remoteIp }),
    hello,
    opened,
    closed: (session: WsSession) => {
      pending.delete(session);
      closed(session);
    },
    // A second answer (`agent` final) goes to the same socket, if it is still there.
    dispatch: (id: string, method: string, params: unknown, ctx: CallContext) =>
      router.dispatch(
        id,
        method,
        params,
        ctx,
        (frame) => hub.get(ctx.connId)?.sendRaw(JSON.stringify(frame), { dropIfSlow: false }),
      ),
  };

  const listener: Listener = listen(
    { hostname: settings.bindHost, port: settings.ports.port },
    createHttpHandler({
      live: () => !stopping,
      api: createHttpApi({
        config: () => opts.agent?.config() ?? {},
        auth: () => settings.auth,
        limiter,
        ...(agent ? { agent: httpAgent(agent) } : {}),
        readiness: () => ({
          phase: stopping ? "draining" : engineStarted ? "started" : "starting",
          checks: opts.readinessChecks?.() ?? [],
        }),
        log: opts.sink.logger("http"),
      }),
      upgrade: (req, info) => {
        if (stopping) return new Response("Gateway is shutting down", { status: 503 });
        // Unauthenticated sockets cost memory until their handshake times out: cap them.
        let fromPeer = 0;
        for (const p of pending) if (p.peer.remoteIp === info.remoteIp) fromPeer++;
        if (pending.size >= MAX_PENDING || fromPeer >= MAX_PENDING_PER_IP) {
          // Said once a minute: a flood must not flood the log too.
          const now = Date.now();
          if (now - lastCapWarning > 60_000) {
            lastCapWarning = now;
            wsLog.warn(
              "upgrades refused (503): too many sockets waiting for their handshake " +
                `(${pending.size} pending, ${fromPeer} from ${info.remoteIp})`,
            );
          }
          return new Response("Too many connections are waiting for their handshake; retry", {
            status: 503,
            headers: { "Retry-After": "1" },
          });
        }
        return upgradeWebSocket(req, (socket) => {
          const session = new WsSession(
            socket,
            { remoteIp: info.remoteIp, isLoopback: isLoopbackAddress(info.remoteIp) },
            sessionDeps,
          );
          pending.add(session);
          live.add(session);
          const onClose = session.onClose.bind(session);
          return {
            onOpen: () => session.onOpen(),
            onMessage: (data) => session.onMessage(data),
            onClose: () => {
              pending.delete(session);
              live.delete(session);
              onClose();
              if (live.size === 0) drained?.();
            },
          };
        });
      },
    }),
  );

  const tick = setInterval(
    () => hub.broadcast("tick", { ts: Date.now() }),
    settings.policy.tickIntervalMs,
  );
  const housekeeping = setInterval(() => {
    if (presence.prune()) broadcastPresence();
    limiter.prune();
  }, 60_000);
  const healthTimer = setInterval(() => instance.refreshHealth(), HEALTH_REFRESH_MS);

  const hostForUrl = listener.hostname.includes(":") ? `[${listener.hostname}]` : listener.hostname;
  log.info(`listening on ws://${hostForUrl}:${listener.port}`, {
    bind: settings.bind,
    authMode: settings.auth.mode,
    pid: Deno.pid,
  });

  const instance: GatewayInstance = {
    hostname: listener.hostname,
    port: listener.port,
    url: `ws://${hostForUrl}:${listener.port}`,
    get settings() {
      return settings;
    },
    connections: () => hub.size,
    refreshHealth() {
      health.bump();
      hub.broadcast("health", health.snapshot(), { stateVersion: stateVersion() });
    },
    applyHotSettings(next) {
      settings = {
        ...next,
        ports: settings.ports,
        bind: settings.bind,
        bindHost: settings.bindHost,
        auth: settings.auth,
      };
    },
    async stop({ reason, restartExpectedMs }) {
      if (stopping) return;
      stopping = true;
      // Runs end first, so their terminal events reach clients before `shutdown`.
      await agent?.stop();
      unsubscribeAgent?.();
      clearInterval(tick);
      clearInterval(housekeeping);
      clearInterval(healthTimer);
      clearTimeout(presenceTimer);
      const payload = restartExpectedMs === undefined ? { reason } : { reason, restartExpectedMs };
      hub.broadcast("shutdown", payload, { dropIfSlow: false });
      const code = restartExpectedMs === undefined
        ? CloseCodes.GOING_AWAY
        : CloseCodes.SERVICE_RESTART;
      hub.closeAll(
        code,
        restartExpectedMs === undefined ? "gateway stopping" : "gateway restarting",
      );
      for (const session of pending) session.close(code, "gateway stopping");
      pending.clear();
      // Let the close frames (1012 on a restart) reach clients before the
      // server shutdown aborts the sockets, which clients would see as 1001.
      if (live.size) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 1000);
          drained = () => (clearTimeout(t), resolve());
        });
      }
      await listener.close();
      log.info("stopped", { reason });
    },
  };
  return instance;
}

/** Presence rows, for tests and tools that need the type. */
export type { PresenceEntry };
