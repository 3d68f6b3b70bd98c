/**
 * Composition root of one gateway instance: builds the parts from resolved
 * settings, starts them in order, and stops them in reverse. An in-process
 * restart throws an instance away and builds a new one.
 *
 * @module
 */

import type { PresenceEntry } from "../protocol/schemas/presence.ts";
import { createLazyAgent, type LazyAgent } from "./agent/lazy.ts";
import type { GatewayInstance, GatewayOptions } from "./app_types.ts";
import { createAgentSend } from "./channels/agent_send.ts";
import { composeChannels } from "./channels/compose.ts";
import { channelSecrets } from "./channels/settings.ts";
import type { GatewaySettings } from "./config/settings.ts";
import { GatewayError } from "./errors.ts";
import { channelReadyChecks, gatewayHttp, type ReadyCheck } from "./http/mod.ts";
import { buildHandlers } from "./methods/mod.ts";
import { createNodes } from "./nodes/mod.ts";
import { hostName, selfIp } from "./runtime/host_info.ts";
import { bridgeAgentEvents } from "./server/agent_bridge.ts";
import { AuthRateLimiter } from "./server/auth.ts";
import { connectionHooks } from "./server/connections.ts";
import { DedupeCache } from "./server/dedupe.ts";
import { decideConnect } from "./server/handshake.ts";
import { broadcastHealth, HealthMonitor } from "./server/health.ts";
import { buildHelloOk } from "./server/hello.ts";
import { createHttpHandler } from "./server/http.ts";
import { eventFrame, Hub } from "./server/hub.ts";
import { startPeriodic } from "./server/periodic.ts";
import { PresenceStore } from "./server/presence.ts";
import { PresenceBroadcaster } from "./server/presence_broadcast.ts";
import { type CallContext, Router } from "./server/router.ts";
import { listen, type Listener } from "./server/serve.ts";
import { closeSessions } from "./server/shutdown.ts";
import { buildStatus, statusChannels } from "./server/status.ts";
import { SocketAdmission } from "./server/upgrade.ts";
import type { WsSession } from "./server/ws_session.ts";
import { VERSION } from "./version.ts";

export { MAX_PENDING, MAX_PENDING_PER_IP } from "./server/upgrade.ts";
export { PRESENCE_COALESCE_MS } from "./server/presence_broadcast.ts";
export type { GatewayInstance, GatewayOptions } from "./app_types.ts";

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
  const presenceOut = new PresenceBroadcaster({ hub, presence, stateVersion });

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
      channels: statusChannels(channels.health()),
      ...(agent ? { model: agent.modelHealth() } : {}),
    })) as ReturnType<typeof buildStatus>;

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
        postSystemEvent: (p) => presenceOut.postSystemEvent(p),
      },
      process: opts.processMethods,
      channels: channels.methods,
      agent,
      nodes: { nodes, policy: nodesSettings },
    }),
    dedupe,
    log: opts.sink.logger("rpc"),
  });

  const helloSources = {
    host,
    startedAt,
    settings: () => settings,
    methods: () => router.methods(),
    presence: () => presence.list(),
    health: () => health.snapshot(),
    stateVersion,
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
    hello: (session: WsSession, accepted: Parameters<typeof buildHelloOk>[1]) =>
      buildHelloOk(session.connId, accepted, helloSources),
    ...connectionHooks({
      admission: { opened: (s) => admission.opened(s) },
      hub,
      nodes,
      bridge,
      presence,
      presenceOut,
      log: wsLog,
      stopping: () => stopping,
    }),
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
  const http = gatewayHttp({
    config: () => opts.agent?.config() ?? {},
    auth: () => settings.auth,
    allowedOrigins: () => settings.allowedOrigins ?? [],
    limiter,
    agent,
    stopping: () => stopping,
    checks: (): ReadyCheck[] => [
      ...(opts.readinessChecks?.() ?? []),
      ...channelReadyChecks(channels.ready().channels),
    ],
    log: opts.sink.logger("http"),
  });

  const listener: Listener = listen(
    {
      hostname: settings.bindHost,
      port: settings.ports.port,
      shed: () => admission.shedOldest(),
      bodyLimit: http.bodyLimit,
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
      api: http.api,
      upgrade: (req, info) => admission.upgrade(req, info),
    }),
  );

  const periodic = startPeriodic({
    hub,
    tickIntervalMs: settings.policy.tickIntervalMs,
    housekeeping: () => {
      if (presence.prune()) presenceOut.schedule();
      limiter.prune();
    },
    refreshHealth: () => instance.refreshHealth(),
  });

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
      broadcastHealth(hub, health.snapshot(), stateVersion());
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
      periodic.stop();
      presenceOut.stop();
      await closeSessions({ hub, admission }, { reason, restartExpectedMs });
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
