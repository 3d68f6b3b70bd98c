/**
 * The service-side checks of `openclaw doctor`: the installed unit or plist
 * matches current defaults, no legacy services, lingering on, `lsof`
 * present, and no stranger on the gateway port.
 *
 * @module
 */

import { auditServiceFile } from "../../service/audit.ts";
import { commandText, type ServiceControl } from "../../service/control.ts";
import type { Exec } from "../../service/exec.ts";
import { launchdControl } from "../../service/launchd_control.ts";
import { ensureLinger, lingerState } from "../../service/linger.ts";
import { portListeners } from "../../service/listeners.ts";
import { type FoundService, scanServices } from "../../service/scan.ts";
import { systemdControl } from "../../service/systemd_control.ts";
import { GatewayCallError, GatewayClient } from "../client/gateway_client.ts";
import { readConfig } from "../config/load.ts";
import { writeFileAtomic } from "../config/write.ts";
import { type CliContext, CliError, unknownPortReason } from "./context.ts";
import type { DoctorCheck } from "./doctor.ts";
import {
  expectedSpec,
  installPort,
  readTextOrNull,
  serviceInstance,
  servicePort,
  type ServiceTarget,
  serviceUser,
} from "./service_target.ts";

/** The installed service file matches what install writes now; `--fix` rewrites it. */
export async function serviceFileCheck(
  ctx: CliContext,
  target: ServiceTarget,
  exec: Exec,
): Promise<DoctorCheck> {
  const { control } = target;
  const text = await readTextOrNull(control.path);
  if (text === null) {
    return {
      id: "service-file",
      ok: true,
      message: `no service installed (${control.path}); "openclaw gateway install" adds one`,
    };
  }
  let port: number | undefined;
  try {
    port = servicePort(control.parse(text).programArguments);
  } catch {
    port = undefined;
  }
  let instance;
  try {
    instance = await serviceInstance(ctx, { target, exec });
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    return {
      id: "service-file",
      ok: false,
      message: `cannot check ${control.path}: ${err.message}`,
    };
  }
  port ??= (await installPort(instance.ctx)).port;
  const expected = control.render(expectedSpec(instance, port));
  const audit = auditServiceFile(expected, text, control.parse);
  if (audit.ok) return { id: "service-file", ok: true, message: `${control.path} is current` };
  return {
    id: "service-file",
    ok: false,
    message: `${control.path} differs from current defaults: ${audit.issues.join("; ")}`,
    fix: async () => {
      await writeFileAtomic(control.path, expected, { mode: 0o644, backup: false });
      await control.reload();
      if (target.supervisor === "systemd") {
        return `rewrote ${control.path}; "openclaw gateway restart" applies it`;
      }
      return `rewrote ${control.path}; "openclaw gateway stop" then "openclaw gateway start" ` +
        "loads it";
    },
  };
}

/**
 * No services left by earlier product names; `--fix` stops and removes them.
 * A system-level one (a system unit, a LaunchDaemon) needs root: without it
 * the fix prints the exact `sudo` commands instead of trying.
 */
export async function legacyServicesCheck(
  target: ServiceTarget,
  exec: Exec,
): Promise<DoctorCheck> {
  const found = await scanServices(target.supervisor, target.scanDirs(true), target.control.path);
  const legacy = found.filter((f) => f.kind === "legacy");
  const extra = found.filter((f) => f.kind === "extra");
  const note = extra.length
    ? `; note: other gateway-like services: ${extra.map((f) => f.path).join(", ")}`
    : "";
  if (legacy.length === 0) {
    return { id: "legacy-services", ok: true, message: `no legacy services${note}` };
  }
  return {
    id: "legacy-services",
    ok: false,
    message: `legacy services still installed: ${legacy.map((f) => f.path).join(", ")}${note}`,
    fix: async () => {
      const removed: string[] = [];
      const needRoot: string[] = [];
      for (const f of legacy) {
        if (f.scope === "system" && target.uid !== 0) needRoot.push(sudoRemoval(target, f));
        else {
          await removeService(legacyControl(target, { found: f, exec }), f.path);
          removed.push(f.label);
        }
      }
      const done = removed.length ? `stopped and removed ${removed.join(", ")}` : "";
      if (needRoot.length === 0) return done;
      throw new Error(
        `${done ? `${done}; ` : ""}system services need root: run ${needRoot.join("; then ")}`,
      );
    },
  };
}

/** The supervisor handle of a found service: its scope decides the domain or manager. */
function legacyControl(
  target: ServiceTarget,
  opts: { found: FoundService; exec: Exec },
): ServiceControl {
  const { found: f, exec } = opts;
  return target.supervisor === "launchd"
    ? launchdControl({ exec, uid: target.uid, scope: f.scope, label: f.label, path: f.path })
    : systemdControl({ exec, scope: f.scope, unit: f.label, path: f.path, wsl: target.wsl });
}

async function removeService(control: ServiceControl, path: string): Promise<void> {
  // Failures (not loaded, unknown unit) do not matter: the file goes either way.
  await control.deactivate().catch(() => {});
  await Deno.remove(path);
  await control.reload().catch(() => {});
}

/** What root runs to remove `f`, as one line of `sudo` commands. */
function sudoRemoval(target: ServiceTarget, f: FoundService): string {
  const steps = target.supervisor === "launchd"
    ? [["launchctl", "bootout", `system/${f.label}`], ["rm", f.path]]
    : [["systemctl", "disable", "--now", f.label], ["rm", f.path], ["systemctl", "daemon-reload"]];
  return `"${steps.map(([cmd, ...args]) => `sudo ${commandText(cmd, args)}`).join(" && ")}"`;
}

/** Lingering is on for the user of an installed systemd user unit; `--fix` enables it. */
export async function lingerCheck(
  ctx: CliContext,
  target: ServiceTarget,
  exec: Exec,
): Promise<DoctorCheck> {
  const id = "linger";
  if (target.supervisor !== "systemd" || target.control.scope !== "user") {
    return { id, ok: true, message: "not needed (no systemd user unit)" };
  }
  if (await readTextOrNull(target.control.path) === null) {
    return { id, ok: true, message: "not needed until a user unit is installed" };
  }
  const user = await serviceUser(ctx, exec);
  const state = await lingerState(exec, user);
  if (state.enabled) return { id, ok: true, message: `lingering is on for ${user}` };
  if (state.enabled === undefined) {
    return {
      id,
      ok: false,
      message: `cannot tell whether lingering is on for ${user}: ${state.detail}`,
    };
  }
  return {
    id,
    ok: false,
    message: `lingering is off for ${user}: the gateway service stops when ${user} logs out`,
    fix: async () => {
      const res = await ensureLinger(exec, user);
      if (!res.enabled) throw new Error(`loginctl refused (${res.detail}); run: ${res.command}`);
      return `enabled lingering for ${user}`;
    },
  };
}

/** `lsof` is installed: `gateway --force`, `status` and this doctor use it. */
export async function lsofCheck(exec: Exec): Promise<DoctorCheck> {
  const res = await exec.run("lsof", ["-v"]);
  return res.code === 127
    ? {
      id: "lsof",
      ok: false,
      message: 'lsof is missing: install it ("apt-get install lsof" or "brew install lsof")',
    }
    : { id: "lsof", ok: true, message: "lsof is installed" };
}

/** Nothing but a gateway listens on the gateway port. */
export async function portCheck(
  ctx: CliContext,
  opts: { exec: Exec; token: string | undefined },
): Promise<DoctorCheck> {
  const { exec, token } = opts;
  const unknown = unknownPortReason(await readConfig(ctx.paths.configPath, ctx.env), ctx.env);
  if (unknown) return { id: "port", ok: false, message: unknown };
  const port = (await installPort(ctx)).port;
  const found = await portListeners(exec, port);
  if (found.status === "unknown") {
    return { id: "port", ok: true, message: `cannot check port ${port}: ${found.detail}` };
  }
  if (found.status === "free") return { id: "port", ok: true, message: `port ${port} is free` };
  const who = found.listeners.map((l) => `${l.command ?? "?"} (pid ${l.pid})`).join(", ");
  if (await isGateway(`ws://127.0.0.1:${port}`, token)) {
    return { id: "port", ok: true, message: `a gateway listens on port ${port}: ${who}` };
  }
  return {
    id: "port",
    ok: false,
    message: `port ${port} is held by ${who}, which is not a gateway: stop it, or move the ` +
      "gateway to another port with gateway.port",
  };
}

/** A gateway answers the handshake (even one that refuses our credentials). */
async function isGateway(url: string, token: string | undefined): Promise<boolean> {
  try {
    const client = await GatewayClient.connect(url, { token, timeoutMs: 1500 });
    await client.close();
    return true;
  } catch (err) {
    return err instanceof GatewayCallError;
  }
}
