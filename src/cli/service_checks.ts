/**
 * The service-side checks of `openclaw doctor`: the installed unit or plist
 * matches current defaults, no legacy services, lingering on, `lsof`
 * present, and no stranger on the gateway port.
 *
 * @module
 */

import { auditServiceFile } from "../../service/audit.ts";
import type { Exec } from "../../service/exec.ts";
import { ensureLinger, lingerState } from "../../service/linger.ts";
import { portListeners } from "../../service/listeners.ts";
import { type FoundService, scanServices } from "../../service/scan.ts";
import { GatewayCallError, GatewayClient } from "../client/gateway_client.ts";
import { writeFileAtomic } from "../config/write.ts";
import type { CliContext } from "./context.ts";
import type { DoctorCheck } from "./doctor.ts";
import {
  expectedSpec,
  installPort,
  readTextOrNull,
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
  port ??= (await installPort(ctx)).port;
  const expected = control.render(await expectedSpec(ctx, target, port, exec));
  const audit = auditServiceFile(expected, text, control.parse);
  if (audit.ok) return { id: "service-file", ok: true, message: `${control.path} is current` };
  return {
    id: "service-file",
    ok: false,
    message: `${control.path} differs from current defaults: ${audit.issues.join("; ")}`,
    fix: async () => {
      await writeFileAtomic(control.path, expected, { mode: 0o644, backup: false });
      if (target.supervisor === "systemd") {
        const args = control.scope === "user" ? ["--user", "daemon-reload"] : ["daemon-reload"];
        await exec.run("systemctl", args);
        return `rewrote ${control.path}; "openclaw gateway restart" applies it`;
      }
      return `rewrote ${control.path}; "openclaw gateway stop" then "openclaw gateway start" ` +
        "loads it";
    },
  };
}

/** No services left by earlier product names; `--fix` stops and removes them. */
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
      for (const f of legacy) await removeService(target, f, exec);
      return `stopped and removed ${legacy.map((f) => f.label).join(", ")}`;
    },
  };
}

async function removeService(target: ServiceTarget, f: FoundService, exec: Exec): Promise<void> {
  if (target.supervisor === "launchd") {
    await exec.run("launchctl", ["bootout", `gui/${Deno.uid() ?? 0}/${f.label}`]);
    await Deno.remove(f.path);
    return;
  }
  const scope = f.scope === "user" ? ["--user"] : [];
  // Failures (unit not loaded) do not matter: the file goes either way.
  await exec.run("systemctl", [...scope, "disable", "--now", f.label]);
  await Deno.remove(f.path);
  await exec.run("systemctl", [...scope, "daemon-reload"]);
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
  exec: Exec,
  token: string | undefined,
): Promise<DoctorCheck> {
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
