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
import { AuthRateLimiter } from "./server/auth.ts";
import { DedupeCache } from "./server/dedupe.ts";
import { CloseCodes, decideConnect } from "./server/handshake.ts";
import { HEALTH_REFRESH_MS, HealthMonitor, withoutPaths } from "./server/health.ts";
import { createHttpHandler } from "./server/http.ts";
import { eventFrame, Hub } from "./server/hub.ts";
import { createNodes } from "./nodes/mod.ts";
import { PresenceStore } from "./server/presence.ts";
import { clientPresence } from "./server/client_presence.ts";
import { type CallContext, Router } from "./server/router.ts";
import { listen, type Listener } from "./server/serve.ts";
import { SocketAdmission } from "./server/upgrade.ts";
import type { WsSession } from "./server/ws_session.ts";
import { hasScope } from "./server/scopes.ts";
import { VERSION } from "./version.ts";
import { hostName, selfIp } from "./runtime/host_info.ts";
import { buildStatus } from "./server/status.ts";
import { GatewayError } from "./errors.ts";
import type { AgentEngine } from "./agent/types.ts";
import type { AdapterFactory } from "./channels/mod.ts";
import { composeChannels } from "./channels/compose.ts";
import { createAgentSend } from "./channels/agent_send.ts";
import { channelSecrets } from "./channels/settings.ts";
import type { GatewayConfig } from "./config/schema.ts";
import type { Env } from "./config/paths.ts";
import { createLazyAgent, type LazyAgent } from "./agent/lazy.ts";
import { bridgeAgentEvents } from "./server/agent_bridge.ts";
import { createHttpApi, httpAgent, httpSettings, type ReadyCheck } from "./http/mod.ts";
import { requestBodyLimit } from "./http/body_limit.ts";

export { MAX_PENDING, MAX_PENDING_PER_IP } from "./server/upgrade.ts";

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
  /** The agent engine channel messages run on (none: inbound messages are logged and dropped). */
  agentEngine?: AgentEngine;
  /** Builds channel adapters (default: lazy-loaded real adapters). */
  channelFactory?: AdapterFactory;
  /** Channels start this long after the listener (default 0; the process passes 1 s). */
  channelStartDelayMs?: number;
  /**
   * The process's auth failure limiter: passed in so lockouts survive an
   * in-process restart (a fresh one when absent, e.g. in tests).
   */
  limiter?: AuthRateLimiter;
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
  /**
   * The agent runtime every caller shares (channels, HTTP APIs), loaded on
   * first use (`agent.load()`); absent without `opts.agent`.
   */
  readonly agent?: LazyAgent;
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
  const setSecrets = (s: GatewaySettings) =>
    opts.sink.redactor.setSecrets([
      s.auth.token,
      s.auth.password,
      ...(s.channels ? channelSecrets(s.channels) : []),
    ]);
  setSecrets(settings);

  const hub = new Hub();
  const limiter = opts.limiter ?? new AuthRateLimiter(settings.auth.rateLimit);
  limiter.configure(settings.auth.rateLimit, (key, ms) =>
    log.warn(
      `auth: ${key} locked out for ${Math.round(ms / 1000)} s after repeated failures ` +
        "(gateway.auth.rateLimit)",
      { key, lockoutMs: ms },
    ));
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
  // Loaded on the first turn, agent/chat/sessions call or API request.
  const agent: LazyAgent | undefined = opts.agent
    ? createLazyAgent({
      config: opts.agent.config,
      env: opts.agent.env,
      stateDir: settings.paths.stateDir,
      log: opts.sink.logger("agent"),
      startedAt,
      // `channels` is composed below; the tool calls this only during a run.
      send: createAgentSend(() => channels.methods.send),
    })
    : undefined;
  const bridge = agent ? bridgeAgentEvents(agent, hub) : undefined;
  let started = false;
  const channels = composeChannels({
    settings: () => settings.channels,
    stateDir: settings.paths.stateDir,
    log: opts.sink.logger("channels"),
    engine: opts.agentEngine ?? agent?.engine,
    factory: opts.channelFactory,
    onChange: () => started && instance.refreshHealth(),
  });
  // `/ready` holds at 503 while a channel with an enabled account is not running.
  const channelChecks = (): ReadyCheck[] =>
    Object.entries(channels.ready().channels).map(([id, c]) => ({
      name: `channel:${id}`,
      ok: c.ok,
      ...(c.ok ? {} : { detail: "not running (see channels.status)" }),
    }));
  const health = new HealthMonitor({
    version: VERSION,
    startedAt,
    sessionsPath: `${settings.paths.stateDir}/agents/main/sessions/sessions.json`,
    configState: opts.configState,
    channels: channels.health,
    linkChannel: channels.linkChannel,
    ...(agent ? { model: () => agent.modelHealth() } : {}),
  });
  let stopping = false;
  let channelStartTimer: ReturnType<typeof setTimeout> | undefined;

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

  // Masked: a substituted customBindHost (or any `${VAR}` value) must not go out in answers.
  const status = () =>
    opts.sink.redactor.value(buildStatus({
      settings,
      startedAt,
      port: listener.port,
      logFile: opts.sink.currentFile() ?? "",
      connections: hub.size,
      presenceCount: presence.size,
      sessionCount: health.snapshot().sessions.count,
      config: opts.configState(),
      channels: Object.fromEntries(
        Object.entries(channels.health()).map(([id, c]) => [id, {
          configured: c.configured,
          ...(c.linked !== undefined ? { linked: c.linked } : {}),
        }]),
      ),
      ...(agent ? { model: agent.modelHealth() } : {}),
    })) as ReturnType<typeof buildStatus>;

  const postSystemEvent = (p: SystemEventParams) => {
    const key = (p.deviceId ?? p.instanceId ?? p.host ?? p.ip ?? p.text.slice(0, 64)).toLowerCase();
    const { sessionKey: _s, wake: _w, ...fields } = p;
    presence.upsert(key, fields);
    broadcastPresence();
  };

  const nodesSettings = () => settings.nodes ?? { autoApproveLocal: true };
  const nodes = createNodes({
    stateDir: settings.paths.stateDir,
    settings: nodesSettings,
    broadcast: (event, payload) => hub.broadcast(event, payload),
    sendTo: (connId, event, payload) =>
      hub.get(connId)?.sendRaw(eventFrame(event, { payloadJson: JSON.stringify(payload) }), {
        dropIfSlow: true,
      }) ?? false,
    closeConn: (connId, code, reason) => hub.get(connId)?.close(code, reason),
    log: opts.sink.logger("nodes"),
  });

  const router = new Router({
    handlers: buildHandlers({
      system: {
        health: (o) => health.snapshot(o),
        status,
        presence: () => presence.list(),
        postSystemEvent,
      },
      process: opts.processMethods,
      channels: channels.methods,
      agent,
      nodes: { nodes, policy: nodesSettings },
    }),
    dedupe,
    log: opts.sink.logger("rpc"),
  });

  const hello = (
    session: WsSession,
    accepted: {
      protocol: number;
      role: string;
      scopes: string[];
      device?: { token: string; issuedAtMs: number };
    },
  ): HelloOk => {
    // Host paths only for clients that may read the gateway's state.
    const reader = hasScope(accepted.scopes, "operator.read");
    return {
      type: "hello-ok",
      protocol: accepted.protocol,
      server: accepted.protocol >= 4
        ? { version: VERSION, connId: session.connId }
        : { version: VERSION, connId: session.connId, host },
      features: { methods: router.methods(), events: [...EVENT_NAMES] },
      snapshot: {
        presence: presence.list(),
        health: reader ? health.snapshot() : withoutPaths(health.snapshot()),
        stateVersion: stateVersion(),
        uptimeMs: Date.now() - startedAt,
        ...(reader
          ? { configPath: settings.paths.configPath, stateDir: settings.paths.stateDir }
          : {}),
        sessionDefaults: {
          defaultAgentId: "main",
          mainKey: "main",
          mainSessionKey: "agent:main:main",
        },
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
  };

  const opened = (session: WsSession) => {
    admission.opened(session);
    hub.add(session);
    nodes.opened(session);
    bridge?.opened(session.connId, session.params?.caps);
    const row = clientPresence(session);
    if (!row) return;
    presence.connect(row.key, row.entry);
    broadcastPresence();
  };

  const closed = (session: WsSession) => {
    hub.remove(session.connId);
    nodes.closed(session.connId);
    bridge?.closed(session.connId);
    wsLog.debug("disconnected", { connId: session.connId });
    const row = clientPresence(session);
    if (!row || stopping) return;
    if (presence.disconnect(row.key)) broadcastPresence();
  };

  const sessionDeps = {
    policy: () => settings.policy,
    handshakeTimeoutMs: settings.handshakeTimeoutMs,
    log: wsLog,
    decide: (
      params: Parameters<typeof decideConnect>[0],
      peer: { remoteIp: string; isLoopback: boolean; browserOrigin?: string },
      nonce: string,
    ) =>
      nodes.decide(params, peer, nonce, (p, extra) =>
        decideConnect(p, {
          auth: settings.auth,
          limiter,
          remoteIp: peer.remoteIp,
          browser: peer.browserOrigin !== undefined,
          deviceTokenValid: extra.deviceTokenValid,
        })),
    hello,
    opened,
    closed,
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
  const admission = new SocketAdmission({
    stopping: () => stopping,
    allowedOrigins: () => settings.allowedOrigins ?? [],
    authMode: () => settings.auth.mode,
    session: sessionDeps,
    log: wsLog,
    peerAddress: (ip) => settings.peerAddress?.(ip) ?? ip,
  });
  let lastAcceptError = 0;

  const listener: Listener = listen(
    {
      hostname: settings.bindHost,
      port: settings.ports.port,
      shed: () => admission.shedOldest(),
      bodyLimit: (head) =>
        requestBodyLimit(head, {
          settings: httpSettings(opts.agent?.config() ?? {}),
          auth: settings.auth,
        }),
      upgrade: (req, info) => admission.upgrade(req, info),
      onAcceptError: (err) => {
        // Said once a minute: out of descriptors, this fires on every accept.
        const now = Date.now();
        if (now - lastAcceptError < 60_000) return;
        lastAcceptError = now;
        log.warn(`accept failed (${err instanceof Error ? err.message : err}); still listening`);
      },
    },
    createHttpHandler({
      live: () => !stopping,
      api: createHttpApi({
        config: () => opts.agent?.config() ?? {},
        auth: () => settings.auth,
        allowedOrigins: () => settings.allowedOrigins ?? [],
        limiter,
        ...(agent ? { agent: async () => httpAgent(await agent.load()) } : {}),
        readiness: () => ({
          phase: stopping ? "draining" : "started",
          checks: [...(opts.readinessChecks?.() ?? []), ...channelChecks()],
        }),
        log: opts.sink.logger("http"),
      }),
      upgrade: (req, info) => admission.upgrade(req, info),
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
  const pushHealth = () => {
    const snapshot = health.snapshot();
    hub.broadcast("health", snapshot, {
      stateVersion: stateVersion(),
      limitedPayload: withoutPaths(snapshot),
    });
  };

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
    agent,
    connections: () => hub.size,
    refreshHealth() {
      health.bump();
      pushHealth();
    },
    applyHotSettings(next) {
      const channelsChanged = JSON.stringify(next.channels) !== JSON.stringify(settings.channels);
      settings = {
        ...next,
        ports: settings.ports,
        bind: settings.bind,
        bindHost: settings.bindHost,
        auth: settings.auth,
      };
      setSecrets(settings);
      if (channelsChanged && !stopping) {
        void channels.manager.reconcile().then((ids) => {
          if (ids.length) log.info(`channels restarted after a config change: ${ids.join(", ")}`);
        }, (err) => log.error(`channel restart failed: ${(err as Error).message}`));
      }
    },
    async stop({ reason, restartExpectedMs }) {
      if (stopping) return;
      stopping = true;
      clearTimeout(channelStartTimer);
      // Channels first: their replies in flight get the adapters' drain
      // (3 s) to finish on the live engine; what is cut off stays journaled
      // and runs again after the restart (`retryInterrupted`).
      await channels.manager.stop();
      // Runs end next, so their terminal events reach clients before `shutdown`.
      await agent?.stop();
      bridge?.stop();
      // Let the `agent` finals of the ended runs (sent a macrotask later) out first.
      if (agent) await new Promise((r) => setTimeout(r, 0));
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
      admission.closePending(code, "gateway stopping");
      // Let the close frames (1012 on a restart) reach clients before the
      // listener drops what is left.
      await admission.drained(1000);
      await listener.close();
      log.info("stopped", { reason });
    },
  };
  started = true;
  // After the listener, and a moment later: loading a channel library costs
  // hundreds of ms of CPU, which must not hold up the first clients' hello-ok.
  const delay = opts.channelStartDelayMs ?? 0;
  if (delay > 0) {
    channelStartTimer = setTimeout(() => {
      channelStartTimer = undefined;
      if (!stopping) channels.manager.start();
    }, delay);
  } else channels.manager.start();
  return instance;
}

/** Presence rows, for tests and tools that need the type. */
export type { PresenceEntry };
