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
import { channelReadyChecks, type ReadyCheck } from "./http/mod.ts";
import { gatewayCanvas } from "./canvas/mod.ts";
import { buildHandlers } from "./methods/mod.ts";
import { createNodes } from "./nodes/mod.ts";
import { agentNodesPort } from "./methods/node_agent.ts";
import { hostName } from "./runtime/host_info.ts";
import { bridgeAgentEvents } from "./server/agent_bridge.ts";
import { AuthRateLimiter, lockoutWarning } from "./server/auth.ts";
import { connectionHooks } from "./server/connections.ts";
import { DedupeCache } from "./server/dedupe.ts";
import { broadcastHealth, defaultSessionsPath, HealthMonitor } from "./server/health.ts";
import { Hub } from "./server/hub.ts";
import { startPeriodic } from "./server/periodic.ts";
import { PresenceStore, selfPresence } from "./server/presence.ts";
import { PresenceBroadcaster } from "./server/presence_broadcast.ts";
import { Router } from "./server/router.ts";
import { listenGateway } from "./server/gateway_listener.ts";
import { closeSessions } from "./server/shutdown.ts";
import { liveStatus } from "./server/status.ts";
import { sessionWiring } from "./server/session_wiring.ts";
import { SocketAdmission } from "./server/upgrade.ts";
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
    sessionsPath: () => defaultSessionsPath(settings),
    configState: opts.configState,
    channels: channels.health,
    linkChannel: channels.linkChannel,
    agents: () => settings.agents,
    ...(agent ? { model: () => agent.modelHealth() } : {}),
  });
  let stopping = false;

  const stateVersion = () => ({ presence: presence.version, health: health.version });
  const presenceOut = new PresenceBroadcaster({ hub, presence, stateVersion });

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

  const canvas = gatewayCanvas({
    settings: () => settings,
    limiter,
    nodesSettings,
    nodes,
    log: opts.sink.logger("canvas"),
  });

  const status = liveStatus({
    settings: () => settings,
    startedAt,
    port: () => listener.port,
    canvas,
    sink: opts.sink,
    hub,
    presence,
    health,
    configState: opts.configState,
    channels,
    agent,
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
  const admission = new SocketAdmission({
    stopping: () => stopping,
    allowedOrigins: () => settings.allowedOrigins ?? [],
    authMode: () => settings.auth.mode,
    session: sessionWiring({
      settings: () => settings,
      limiter,
      nodes,
      canvas,
      hello: helloSources,
      hooks,
      router,
      hub,
      log: wsLog,
    }),
    log: wsLog,
    peerAddress: (ip) => settings.peerAddress?.(ip) ?? ip,
  });
  const listener = listenGateway({
    hostname: settings.bindHost,
    port: settings.ports.port,
    admission,
    canvas: canvas.host,
    http: {
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
    },
    log,
  });

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
