/**
 * `openclaw gateway status`: the supervisor's view of the service (installed,
 * loaded, running, does the file match install) apart from RPC reachability
 * (WS connect + `status`), plus config path, probe target, port listeners,
 * the last logged error and other gateway-like services. The `--json` shape
 * is documented in the README ("gateway status", `--json` shape) and follows
 * operations.md §3.
 *
 * @module
 */

import type { Command } from "commander";
import type { StatusResult } from "../../protocol/schemas/system.ts";
import type { ServiceAudit } from "../../service/audit.ts";
import type { ServiceCommand, ServiceRuntime } from "../../service/control.ts";
import type { Exec } from "../../service/exec.ts";
import { servedInstead, servedPath } from "../config/served.ts";
import { launchdLogPaths } from "../../service/launchd.ts";
import type { PortListener } from "../../service/listeners.ts";
import { scanServices } from "../../service/scan.ts";
import { readConfig } from "../config/load.ts";
import { logFilePrefix } from "../config/paths.ts";
import type { GatewayConfig } from "../config/schema.ts";
import { bindHostFor } from "../config/settings.ts";
import {
  allFlags,
  type CliContext,
  CliError,
  instancePort,
  resolveTarget,
  unknownPortReason,
} from "./context.ts";
import { addTargetOptions, parseTimeout } from "./rpc.ts";
import { lastErrorLine } from "./service_last_error.ts";
import { formatStatusReport } from "./service_status_format.ts";
import { portSection, probeRpc } from "./service_status_probe.ts";
import { servicePaths, serviceSection } from "./service_status_service.ts";
import { servicePort } from "./service_target.ts";

/** Flags of `gateway status`. */
export interface StatusFlags {
  url?: string;
  token?: string;
  password?: string;
  timeout?: string;
  json?: boolean;
  deep?: boolean;
  /** `false` with `--no-probe`. */
  probe?: boolean;
}

/** One config file as status reports it. */
export interface ConfigReport {
  path: string;
  exists: boolean;
  valid: boolean;
  issues?: { path: string; message: string; line?: number }[];
}

/** A port and who listens on it. */
export interface PortStatus {
  port: number;
  status: "free" | "busy" | "unknown";
  listeners: PortListener[];
  hints: string[];
}

/** The `gateway status --json` document. */
export interface GatewayStatusReport {
  service: {
    label: string;
    supervisor?: "systemd" | "launchd";
    scope?: "user" | "system";
    path?: string;
    installed: boolean;
    loaded: boolean;
    loadedText: string;
    notLoadedText: string;
    /** Secrets a hand-edited file holds are masked as `***`. */
    command: ServiceCommand | null;
    runtime?: ServiceRuntime;
    configAudit?: ServiceAudit;
    /** Why there is no service on this platform. */
    note?: string;
  };
  config: { cli: ConfigReport; daemon?: ConfigReport; mismatch?: true };
  gateway: {
    bindMode: string;
    bindHost: string;
    customBindHost?: string;
    port: number;
    portSource: "service args" | "env/config";
    probeUrl: string;
    probeNote?: string;
  };
  port: PortStatus;
  portCli?: PortStatus;
  lastError?: string;
  rpc?: { ok: boolean; url: string; error?: string; status?: StatusResult };
  legacyServices: { label: string; detail: string }[];
  extraServices: { label: string; detail: string; scope: "user" | "system" }[];
}

/** Registers `gateway status`. */
export function registerGatewayStatus(
  gateway: Command,
  context: (cmd: Command) => CliContext,
  exec: Exec,
): void {
  const status = gateway.command("status")
    .description("Service runtime (systemd/launchd) and RPC reachability of the gateway");
  addTargetOptions(status, {
    url: "probe this WebSocket URL instead of the service's port",
    token: "gateway token for the probe",
    password: "gateway password for the probe",
    timeout: "probe timeout in ms",
    json: 'print JSON (shape: README, "gateway status")',
  })
    .option("--no-probe", "skip the RPC probe")
    .option("--deep", "also scan system units / LaunchDaemons for other gateways")
    .action(async (_: StatusFlags, cmd: Command) => {
      const ctx = context(cmd);
      const flags = allFlags<StatusFlags>(cmd);
      const report = await gatherStatus(ctx, flags, exec);
      ctx.io.out(flags.json ? JSON.stringify(report, null, 2) : formatStatusReport(report));
      if (report.rpc && !report.rpc.ok) {
        throw new CliError(`RPC probe of ${report.rpc.url} failed: ${report.rpc.error}`);
      }
    });
}

/** Collects everything `gateway status` reports. */
async function gatherStatus(
  ctx: CliContext,
  flags: StatusFlags,
  exec: Exec,
): Promise<GatewayStatusReport> {
  const timeoutMs = parseTimeout(flags.timeout, 10_000);
  const { service, target, serviceEnv } = await serviceSection(ctx, exec);
  const snap = await readConfig(ctx.paths.configPath, ctx.env);
  const config = (snap.config ?? snap.parsed ?? {}) as GatewayConfig;
  const configSection: GatewayStatusReport["config"] = { cli: configReport(snap) };
  const daemon = servicePaths(ctx, { target, serviceEnv });
  if (serviceEnv && daemon.configPath !== ctx.paths.configPath) {
    configSection.daemon = configReport(await readConfig(daemon.configPath, { ...serviceEnv }));
    configSection.mismatch = true;
  }

  const bindMode = config.gateway?.bind ?? "loopback";
  let bindHost = "127.0.0.1";
  try {
    bindHost = bindHostFor(bindMode, config.gateway?.customBindHost);
  } catch {
    bindHost = "";
  }
  const fromService = service.command ? servicePort(service.command.programArguments) : undefined;
  // The service's own command line names its port; without it an unreadable port is an error.
  const unknown = fromService === undefined && !flags.url
    ? unknownPortReason(snap, ctx.env)
    : undefined;
  if (unknown) throw new CliError(unknown);
  let cliPort: number | undefined;
  try {
    cliPort = instancePort(ctx, snap).port;
  } catch (err) {
    ctx.io.err(`Warning: ${(err as Error).message}`);
  }
  // A restart onto a held port leaves the gateway on its old one: probe (and send the secret to) that.
  const served = fromService === undefined && cliPort !== undefined && !flags.url
    ? await servedInstead(servedPath(ctx.paths.stateDir), cliPort, exec)
    : undefined;
  if (served) {
    ctx.io.err(
      `Warning: the gateway (pid ${served.pid}) serves port ${served.port}, not the configured ` +
        `${cliPort} (its restart onto ${cliPort} failed); probing ${served.port}`,
    );
  }
  const port = fromService ?? served?.port ?? cliPort ?? 0;
  const probeHost = bindMode === "custom" && bindHost ? bindHost : "127.0.0.1";
  const gateway: GatewayStatusReport["gateway"] = {
    bindMode,
    bindHost,
    port,
    portSource: fromService ? "service args" : "env/config",
    probeUrl: flags.url ?? `ws://${probeHost}:${port}`,
  };
  if (config.gateway?.customBindHost) gateway.customBindHost = config.gateway.customBindHost;
  if (flags.url) gateway.probeNote = "from --url";
  else if (bindHost === "0.0.0.0") gateway.probeNote = "bound to all interfaces; probing loopback";

  let rpc: GatewayStatusReport["rpc"];
  if (flags.probe !== false) {
    const creds = flags.url ? await resolveTarget(ctx, flags) : {
      token: flags.token ?? serviceEnv?.OPENCLAW_GATEWAY_TOKEN ?? ctx.env.OPENCLAW_GATEWAY_TOKEN ??
        config.gateway?.auth?.token,
      password: flags.password ?? serviceEnv?.OPENCLAW_GATEWAY_PASSWORD ??
        ctx.env.OPENCLAW_GATEWAY_PASSWORD ?? config.gateway?.auth?.password,
    };
    rpc = await probeRpc(gateway.probeUrl, creds, timeoutMs);
  }

  const portStatus = await portSection(exec, port, { rpc, service, target });
  const report: GatewayStatusReport = {
    service,
    config: configSection,
    gateway,
    port: portStatus,
    legacyServices: [],
    extraServices: [],
  };
  if (fromService && cliPort !== undefined && cliPort !== fromService) {
    const other = await portSection(exec, cliPort, { service });
    other.hints.unshift(
      `this CLI resolves port ${cliPort} (env/config) but the service runs on ${fromService}: ` +
        'align gateway.port with the service, or run "openclaw gateway install --force"',
    );
    report.portCli = other;
  }
  const portClosed = rpc ? !rpc.ok : portStatus.status !== "busy";
  if (service.installed && portClosed) {
    const lastError = await lastErrorLine({
      logDir: daemon.logDir,
      prefix: logFilePrefix(daemon.profile),
      extraFiles: target?.supervisor === "launchd" ? [launchdLogPaths(daemon.stateDir).stderr] : [],
    });
    if (lastError) report.lastError = lastError;
  }
  if (rpc) report.rpc = rpc;
  if (target) {
    const found = await scanServices(
      target.supervisor,
      target.scanDirs(flags.deep === true),
      target.control.path,
    );
    for (const f of found) {
      if (f.kind === "legacy") report.legacyServices.push({ label: f.label, detail: f.path });
      else report.extraServices.push({ label: f.label, detail: f.path, scope: f.scope });
    }
  }
  return report;
}

function configReport(snap: Awaited<ReturnType<typeof readConfig>>): ConfigReport {
  const report: ConfigReport = { path: snap.path, exists: snap.exists, valid: !!snap.config };
  if (snap.issues.length) {
    report.issues = snap.issues.map((i) => ({
      path: i.path,
      message: i.message,
      ...(i.line ? { line: i.line } : {}),
    }));
  }
  return report;
}
