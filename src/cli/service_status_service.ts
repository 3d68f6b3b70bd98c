/**
 * The service half of `gateway status`: the installed file, the supervisor's
 * runtime, whether the file matches what install writes now, and the paths
 * of the instance the service runs (which may not be this CLI's).
 *
 * @module
 */

import { auditServiceFile, type ServiceAudit } from "../../service/audit.ts";
import { maskServiceCommand, type ServiceCommand } from "../../service/control.ts";
import type { Exec } from "../../service/exec.ts";
import { type InstancePaths, resolvePaths } from "../config/paths.ts";
import { type CliContext, CliError } from "./context.ts";
import type { GatewayStatusReport } from "./gateway_status.ts";
import {
  expectedSpec,
  readTextOrNull,
  resolveService,
  serviceInstance,
  servicePort,
  type ServiceTarget,
} from "./service_target.ts";

/**
 * The paths of the instance the service runs, from the HOME and OPENCLAW_*
 * variables in its file: the config, logs and state it uses may differ from
 * this CLI's (another profile or state dir). This CLI's paths when there is
 * no readable service file, or its variables do not resolve.
 */
export function servicePaths(
  ctx: CliContext,
  service: { target?: ServiceTarget; serviceEnv?: Record<string, string> },
): InstancePaths {
  if (!service.serviceEnv) return ctx.paths;
  try {
    return resolvePaths({}, { HOME: service.target?.home, ...service.serviceEnv });
  } catch {
    return ctx.paths;
  }
}

/**
 * The `service` part of the report: what the supervisor and the file say.
 * Also returns the target and the file's raw environment (`serviceEnv`,
 * unmasked: the probe may need a token it holds; never print it).
 */
export async function serviceSection(ctx: CliContext, exec: Exec): Promise<{
  service: GatewayStatusReport["service"];
  target?: ServiceTarget;
  serviceEnv?: Record<string, string>;
}> {
  let target: ServiceTarget;
  try {
    target = await resolveService(ctx, exec, { detectSystem: true });
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    const service = {
      label: "",
      installed: false,
      loaded: false,
      loadedText: "loaded",
      notLoadedText: "not loaded",
      command: null,
      note: err.message,
    };
    return { service };
  }
  const { control } = target;
  const service: GatewayStatusReport["service"] = {
    label: control.label,
    supervisor: target.supervisor,
    scope: control.scope,
    path: control.path,
    installed: false,
    loaded: false,
    loadedText: "loaded",
    notLoadedText: "not loaded",
    command: null,
  };
  const text = await readTextOrNull(control.path);
  if (text === null) return { service, target };
  service.installed = true;
  // The probe may use a token the file holds; the report only shows it masked.
  let command: ServiceCommand | undefined;
  try {
    command = control.parse(text);
  } catch {
    command = undefined;
  }
  service.command = command ? maskServiceCommand(command) : null;
  service.runtime = await control.runtime();
  service.loaded = service.runtime.loaded;
  const port = (command && servicePort(command.programArguments)) ?? 0;
  service.configAudit = port > 0
    ? await auditAgainstInstall(ctx, { target, text, port, exec })
    : { ok: false, issues: ["the command line has no --port"] };
  return { service, target, serviceEnv: command?.environment };
}

/** Compares the service file with what install would write now for `port`. */
async function auditAgainstInstall(
  ctx: CliContext,
  file: { target: ServiceTarget; text: string; port: number; exec: Exec },
): Promise<ServiceAudit> {
  const { control } = file.target;
  try {
    const instance = await serviceInstance(ctx, file);
    return auditServiceFile(
      control.render(expectedSpec(instance, file.port)),
      file.text,
      control.parse,
    );
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    return { ok: false, issues: [`cannot tell what install would write: ${err.message}`] };
  }
}
