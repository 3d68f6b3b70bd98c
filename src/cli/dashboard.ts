/**
 * `openclaw dashboard [--no-open] [--json]`: the control UI's address on the
 * running gateway, signed in (`#token=` in the fragment, which browsers never
 * send in the request line and the page strips at boot) when the gateway
 * uses token auth, opened in the browser when there is one.
 *
 * The spec's single-use bootstrap token (`auth.bootstrapToken`) is not built:
 * token mode hands over the shared token, as `http://host:port/#token=` does.
 *
 * @module
 */

import type { Command } from "commander";
import { readConfig } from "../config/load.ts";
import type { GatewayConfig } from "../config/schema.ts";
import { controlUiSettings } from "../ui/serve.ts";
import { allFlags, type CliContext, CliError, resolveTarget, type TargetFlags } from "./context.ts";
import { parseTimeout } from "./rpc.ts";
import { type Opener, platformOpener } from "./dashboard_open.ts";
import { probeControlUi } from "./dashboard_probe.ts";

/** Flags of `openclaw dashboard`. */
export interface DashboardFlags extends TargetFlags {
  /** Commander's `--no-open`: false when given. */
  open?: boolean;
  json?: boolean;
  timeout?: string;
}

/** What `openclaw dashboard` found; `--json` prints it as is. */
export interface DashboardInfo {
  /** The control UI's address, no secret. */
  url: string;
  /** The gateway's auth mode as this CLI reads it. */
  auth: "token" | "password" | "none";
  /** `url` with `#token=<token>`: only in token mode with a token at hand. */
  tokenUrl?: string;
  /** The browser opener started without an error. */
  opened: boolean;
  /** Why it was not opened (`--no-open`, no display, opener failure). */
  openSkipped?: string;
}

/** Hosts a browser cannot reach: a wildcard bind is reached on loopback. */
const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", "[::]", ""]);

const START_HINT = 'start it with "openclaw gateway" (foreground) or "openclaw gateway start" ' +
  "(installed service)";

/** The auth mode the gateway runs with, by the rule the gateway applies to the same inputs. */
function authMode(
  config: GatewayConfig,
  flags: TargetFlags,
  creds: { token?: string; password?: string },
): DashboardInfo["auth"] {
  if (flags.password !== undefined) return "password";
  if (flags.token !== undefined) return "token";
  const mode = config.gateway?.auth?.mode;
  if (mode === "token" || mode === "password" || mode === "none") return mode;
  return creds.password && !creds.token ? "password" : "token";
}

/** `http(s)://host:port` of a `ws(s)://` gateway URL, a wildcard host made loopback. */
function httpOrigin(wsUrl: string): { origin: string; host: string; port: number; tls: boolean } {
  const u = new URL(wsUrl);
  const tls = u.protocol === "wss:";
  const host = WILDCARD_HOSTS.has(u.hostname) ? "127.0.0.1" : u.hostname;
  const port = Number(u.port || (tls ? 443 : 80));
  return { origin: `${tls ? "https" : "http"}://${host}:${port}`, host, port, tls };
}

/** Resolves the address, checks the gateway serves the UI there, and opens it. */
export async function runDashboard(
  ctx: CliContext,
  flags: DashboardFlags,
  opener: Opener,
): Promise<DashboardInfo> {
  const timeoutMs = parseTimeout(flags.timeout, 5_000);
  const snap = await readConfig(ctx.paths.configPath, ctx.env);
  const config = (snap.config ?? snap.parsed ?? {}) as GatewayConfig;
  const ui = controlUiSettings(config.gateway?.controlUi);
  if (!ui.enabled) {
    throw new CliError(
      `The control UI is off: gateway.controlUi.enabled is false in ${snap.path} (set it to ` +
        "true; the running gateway serves it from the next request)",
    );
  }
  const target = await resolveTarget(ctx, flags);
  const { origin, host, port, tls } = httpOrigin(target.url);
  const url = `${origin}${ui.basePath}`;
  const probe = await probeControlUi(host, port, ui.basePath, { tls, timeoutMs });
  if (probe.kind === "down") {
    throw new CliError(`No gateway is running at ${origin} (${probe.detail}): ${START_HINT}`);
  }
  if (probe.kind === "timeout") {
    throw new CliError(
      `The gateway at ${origin} did not answer within ${timeoutMs} ms: check it with ` +
        '"openclaw health", or raise --timeout',
    );
  }
  if (probe.kind === "not-served") {
    throw new CliError(
      `The gateway at ${origin} does not serve the control UI at "${ui.basePath}" (HTTP ` +
        `${probe.status}${
          probe.status < 300 ? ", another page" : ""
        }): check gateway.controlUi.enabled and gateway.controlUi.basePath in ` +
        `${snap.path} against the config the gateway runs with`,
    );
  }
  const auth = authMode(config, flags, target);
  const info: DashboardInfo = { url, auth, opened: false };
  if (auth === "token" && target.token) {
    info.tokenUrl = `${url}#token=${encodeURIComponent(target.token)}`;
  }
  if (flags.open === false) {
    info.openSkipped = "--no-open";
    return info;
  }
  const res = await opener.open(info.tokenUrl ?? url);
  info.opened = res.opened;
  if (!res.opened) info.openSkipped = res.reason ?? "the opener failed";
  return info;
}

/** The text form of {@link DashboardInfo}: the links, how to sign in, what was opened. */
export function formatDashboard(info: DashboardInfo): string {
  const lines = [`Control UI: ${info.url}`];
  if (info.tokenUrl) {
    lines.push(`Signed-in link (holds the gateway token; keep it private): ${info.tokenUrl}`);
  } else if (info.auth === "token") {
    lines.push(
      "No gateway token found (gateway.auth.token, OPENCLAW_GATEWAY_TOKEN or --token): " +
        "the page asks for it",
    );
  } else if (info.auth === "password") {
    lines.push("Password auth: the page asks for the gateway password (never put in the URL)");
  } else {
    lines.push("No auth (gateway.auth.mode is none): the page connects without a secret");
  }
  if (info.opened) lines.push("Opened in your browser");
  return lines.join("\n");
}

/** Registers `openclaw dashboard`; `opener` defaults to this platform's browser opener. */
export function registerDashboardCommand(
  program: Command,
  context: (cmd: Command) => CliContext,
  opener?: Opener,
): void {
  program.command("dashboard")
    .description("Open the control UI in the browser, signed in (prints the link too)")
    .option("--no-open", "print the link only")
    .option("--json", "print the result as JSON")
    .option("--url <url>", "gateway WebSocket URL (ws:// or wss://; needs --token or --password)")
    .option("--token <token>", "gateway token (default: OPENCLAW_GATEWAY_TOKEN, then config)")
    .option("--password <password>", "gateway password (password auth: the page asks for it)")
    .option("--timeout <ms>", "how long to wait for the gateway (default 5000)")
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = context(cmd);
      const flags = allFlags<DashboardFlags>(cmd);
      const info = await runDashboard(ctx, flags, opener ?? platformOpener({ env: ctx.env }));
      if (flags.json) {
        ctx.io.out(JSON.stringify(info, null, 2));
        return;
      }
      ctx.io.out(formatDashboard(info));
      if (!info.opened && info.openSkipped !== "--no-open") {
        ctx.io.err(`Warning: not opened in a browser: ${info.openSkipped}; open the link above`);
      }
    });
}
