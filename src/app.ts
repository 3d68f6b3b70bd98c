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
import { composeChannels, reconcileChannels, startChannelsLater } from "./channels/compose.ts";
import { type GatewaySettings, settingsSecrets, withHotSettings } from "./config/settings.ts";
import { GatewayError } from "./errors.ts";
import { canvasAccess, channelReadyChecks, gatewayHttp, type ReadyCheck } from "./http/mod.ts";
import { composeCanvas } from "./canvas/mod.ts";
import { watchTreeFs } from "./runtime/watch.ts";
import { buildHandlers } from "./methods/mod.ts";
import { canvasDenied, createNodes } from "./nodes/mod.ts";
import { agentNodesPort } from "./methods/node_agent.ts";
import { hostName } from "./runtime/host_info.ts";
import { bridgeAgentEvents } from "./server/agent_bridge.ts";
import { AuthRateLimiter, lockoutWarning } from "./server/auth.ts";
import { connectionHooks } from "./server/connections.ts";
import { DedupeCache } from "./server/dedupe.ts";
import { decideConnect } from "./server/handshake.ts";
import { broadcastHealth, HealthMonitor } from "./server/health.ts";
import { buildHelloOk } from "./server/hello.ts";
import { createHttpHandler } from "./server/http.ts";
import { controlUiSettings, createControlUi } from "./ui/mod.ts";
import { Hub } from "./server/hub.ts";
import { startPeriodic } from "./server/periodic.ts";
import { PresenceStore, selfPresence } from "./server/presence.ts";
import { PresenceBroadcaster } from "./server/presence_broadcast.ts";
import { type CallContext, Router } from "./server/router.ts";
import {
  acceptErrorWarning,
  type ConnInfo,
  listen,
  type Listener,
  type UpgradeRequest,
} from "./server/serve.ts";
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
  const setSecrets = (s: GatewaySettings) => opts.sink.redactor.setSecrets(settingsSecrets(s));
  setSecrets(settings);

  const hub = new Hub();
  const limiter = opts.limiter ?? new AuthRateLimiter(settings.auth.rateLimit);
  limiter.configure(settings.auth.rateLimit, lockoutWarning(log));
  // A retryable or internal failure invites a retry: do not replay it.
  const dedupe = new DedupeCache({
    forgetError: (err) => !(err instanceof GatewayError) || err.retryable === true,
  });
  const presence = new PresenceStore(selfPresence(host));
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
      nodes: agentNodesPort(() => ({ nodes, policy: nodesSettings })),
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
    agents: () => settings.agents,
    ...(agent ? { model: () => agent.modelHealth() } : {}),
  });
  let stopping = false;

  const stateVersion = () => ({ presence: presence.version, health: health.version });
  const presenceOut = new PresenceBroadcaster({ hub, presence, stateVersion });

  // Masked: a substituted customBindHost (or any `${VAR}` value) must not go out in answers.
  const status = () =>
    opts.sink.redactor.value(buildStatus({
      settings,
      startedAt,
      port: listener.port,
      canvasPort: canvas.port(),
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
    sendTo: (connId, event, payload) => hub.sendEvent(connId, event, payload),
    closeConn: (connId, code, reason) => hub.get(connId)?.close(code, reason),
    // Called only after start-up, once `canvas` below exists.
    approvalChanged: () => canvas.surface.recheck(),
    log: opts.sink.logger("nodes"),
  });

  const canvasLog = opts.sink.logger("canvas");
  // Built once: `auth` is read per call, so reloads still apply.
  const canvasAuthed = canvasAccess({
    auth: () => settings.auth,
    limiter,
    allowedOrigins: () => settings.allowedOrigins ?? [],
  });
  const canvas = composeCanvas({
    settings: settings.canvas,
    bindHost: settings.bindHost,
    authorize: (req, ip) => canvasAuthed(req, settings.peerAddress?.(ip) ?? ip),
    allowedOrigins: () => settings.allowedOrigins ?? [],
    watch: watchTreeFs({ onError: (m) => canvasLog.warn(m) }),
    canvasApproved: (nodeId) =>
      !canvasDenied(nodesSettings()) &&
      (nodes.pairing.approvedCaps(nodeId)?.includes("canvas") ?? false),
    loadApprovals: async () => {
      await nodes.pairing.state();
    },
    log: canvasLog,
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
      canvas: { refresh: (connId) => canvas.surface.refresh(connId) },
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

  const hooks = connectionHooks({
    admission: { opened: (s) => admission.opened(s) },
    hub,
    nodes,
    bridge,
    presence,
    presenceOut,
    log: wsLog,
    stopping: () => stopping,
  });
  const sessionDeps = {
    policy: () => settings.policy,
    handshakeTimeoutMs: settings.handshakeTimeoutMs,
    log: wsLog,
    decide: (
      params: Parameters<typeof decideConnect>[0],
      peer: { remoteIp: string; isLoopback: boolean; browserOrigin?: string },
      nonce: string,
    ) => {
      const verdict = nodes.decide(params, peer, nonce, (p, extra) =>
        decideConnect(p, {
          auth: settings.auth,
          limiter,
          remoteIp: peer.remoteIp,
          browser: peer.browserOrigin !== undefined,
          deviceTokenValid: extra.deviceTokenValid,
        }));
      // A node's hello-ok reads its approved caps (canvas URL): load them first.
      if (params.role !== "node" || !settings.canvas.enabled) return verdict;
      return nodes.pairing.state().then(() => verdict, () => verdict);
    },
    hello: (session: WsSession, accepted: Parameters<typeof buildHelloOk>[1]) => ({
      ...buildHelloOk(session.connId, accepted, helloSources),
      ...canvas.hello(session, accepted),
    }),
    opened: (session: WsSession) => hooks.opened(session),
    closed: (session: WsSession) => {
      hooks.closed(session);
      canvas.surface.closed(session.connId);
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
  const admission = new SocketAdmission({
    stopping: () => stopping,
    allowedOrigins: () => settings.allowedOrigins ?? [],
    authMode: () => settings.auth.mode,
    session: sessionDeps,
    log: wsLog,
    peerAddress: (ip) => settings.peerAddress?.(ip) ?? ip,
  });
  const upgrade = (req: UpgradeRequest, info: ConnInfo) =>
    canvas.host.upgrade(req, info) ?? admission.upgrade(req, info);
  const http = gatewayHttp({
    canvas: canvas.host,
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
      upgrade,
      onAcceptError: acceptErrorWarning(log),
    },
    createHttpHandler({
      live: () => !stopping,
      api: http.api,
      ui: createControlUi(() => controlUiSettings(opts.agent?.config().gateway?.controlUi)),
      upgrade,
    }),
  );

  // After the gateway listener: a busy canvas port never keeps the gateway down.
  canvas.start(listener.port);

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
    canvasPort: () => canvas.port(),
    agent,
    connections: () => hub.size,
    refreshHealth() {
      health.bump();
      broadcastHealth(hub, health.snapshot(), stateVersion());
    },
    applyHotSettings(next) {
      const channelsChanged = JSON.stringify(next.channels) !== JSON.stringify(settings.channels);
      settings = withHotSettings(settings, next);
      setSecrets(settings);
      // `gateway.nodes.denyCommands` may now deny the canvas.
      canvas.surface.recheck();
      if (channelsChanged && !stopping) reconcileChannels(channels.manager, log);
    },
    async stop({ reason, restartExpectedMs }) {
      if (stopping) return;
      stopping = true;
      channelStart.cancel();
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
      await canvas.stop();
      await listener.close();
      log.info("stopped", { reason });
    },
  };
  started = true;
  // After the listener, so a channel library's load never holds up hello-ok.
  const channelStart = startChannelsLater(
    channels.manager,
    opts.channelStartDelayMs ?? 0,
    () => stopping,
  );
  return instance;
}

/** Presence rows, for tests and tools that need the type. */
export type { PresenceEntry };
