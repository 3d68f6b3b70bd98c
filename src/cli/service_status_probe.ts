/**
 * The two live probes of `gateway status`: the RPC probe (WS connect plus
 * the `status` method) and who listens on the port, with hints that connect
 * the two with what the supervisor said.
 *
 * @module
 */

import type { StatusResult } from "../../protocol/schemas/system.ts";
import type { Exec } from "../../service/exec.ts";
import { portListeners } from "../../service/listeners.ts";
import { GatewayClient } from "../client/gateway_client.ts";
import type { GatewayStatusReport, PortStatus } from "./gateway_status.ts";
import { describeClientError } from "./rpc.ts";
import type { ServiceTarget } from "./service_target.ts";

/** Connects and calls `status`; never throws (a failure is `ok: false` with the reason). */
export async function probeRpc(
  url: string,
  creds: { token?: string; password?: string },
  timeoutMs: number,
): Promise<NonNullable<GatewayStatusReport["rpc"]>> {
  let client: GatewayClient | undefined;
  try {
    client = await GatewayClient.connect(url, { ...creds, timeoutMs });
    const status = await client.request<StatusResult>("status", {}, { timeoutMs });
    return { ok: true, url, status };
  } catch (err) {
    return { ok: false, url, error: describeClientError(err, url).message };
  } finally {
    await client?.close();
  }
}

/** Lists the port's listeners and adds hints that explain a failed probe. */
export async function portSection(
  exec: Exec,
  port: number,
  facts: {
    rpc?: GatewayStatusReport["rpc"];
    service: GatewayStatusReport["service"];
    target?: ServiceTarget;
  },
): Promise<PortStatus> {
  const found = await portListeners(exec, port);
  const hints: string[] = [];
  if (found.detail) hints.push(found.detail);
  const who = found.listeners.map((l) => `${l.command ?? "?"} (pid ${l.pid})`).join(", ");
  if (found.status === "busy" && facts.rpc && !facts.rpc.ok) {
    hints.push(
      `port ${port} is held by ${who}, which does not answer as this gateway: stop it, or ` +
        "move the gateway to another port (gateway.port, then reinstall the service)",
    );
  }
  if (found.status === "free" && facts.service.runtime?.status === "running") {
    const journal = facts.target?.supervisor === "systemd"
      ? ` or "journalctl ${
        facts.service.scope === "user" ? "--user " : ""
      }-u ${facts.service.label} -n 50"`
      : "";
    hints.push(
      `the supervisor says the service runs but nothing listens on port ${port}: it may be ` +
        `crash-looping; see the last error below, "openclaw logs"${journal}`,
    );
  }
  if (found.status === "free" && !facts.service.installed && facts.rpc && !facts.rpc.ok) {
    hints.push(
      `nothing listens on port ${port}: start the gateway with "openclaw gateway", or install ` +
        'the service with "openclaw gateway install"',
    );
  }
  return { port, status: found.status, listeners: found.listeners, hints };
}
