/**
 * How client commands connect: as before on loopback, and with the CLI's
 * signed device identity (plus the device token a gateway issued earlier)
 * wherever a gateway wants one — a non-loopback URL, a stored token for the
 * URL, or a gateway that answered `DEVICE_IDENTITY_REQUIRED`.
 *
 * @module
 */

import { type ConnectOptions, GatewayCallError, GatewayClient } from "../client/gateway_client.ts";
import {
  DeviceIdentityError,
  type DeviceSigner,
  identityPath,
  loadDeviceIdentity,
} from "../client/device_identity.ts";
import { loadDeviceToken, saveDeviceToken } from "../client/device_tokens.ts";
import { type CliContext, CliError } from "./context.ts";

/** Whether `url`'s host is a loopback address (the gateway auto-trusts those). */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  } catch {
    return false;
  }
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function detailsCode(err: unknown): string | undefined {
  if (!(err instanceof GatewayCallError) || err.method !== "connect") return undefined;
  return (err.error.details as { code?: string } | undefined)?.code;
}

async function identityExists(stateDir: string): Promise<boolean> {
  try {
    await Deno.lstat(identityPath(stateDir));
    return true;
  } catch {
    return false;
  }
}

async function loadIdentity(stateDir: string): Promise<DeviceSigner> {
  try {
    return await loadDeviceIdentity(stateDir);
  } catch (err) {
    if (err instanceof DeviceIdentityError) throw new CliError(err.message);
    throw new CliError(
      `Cannot create the device identity in "${identityPath(stateDir)}": ${
        (err as Error).message
      } (check that the state dir is writable)`,
    );
  }
}

async function connectAsDevice(
  ctx: CliContext,
  url: string,
  opts: ConnectOptions,
  device: DeviceSigner,
): Promise<GatewayClient> {
  const stateDir = ctx.paths.stateDir;
  const role = opts.role ?? "operator";
  const stored = await loadDeviceToken(stateDir, { deviceId: device.deviceId, url, role });
  const client = await GatewayClient.connect(url, { ...opts, device, deviceToken: stored });
  const issued = client.hello.auth.deviceToken;
  if (issued) {
    await saveDeviceToken(stateDir, {
      deviceId: device.deviceId,
      url,
      role,
      token: issued,
      issuedAtMs: client.hello.auth.issuedAtMs,
    }).catch((err) =>
      ctx.io.err(
        `Warning: cannot store the device token in "${stateDir}/identity": ${
          (err as Error).message
        } (this device will use the shared secret next time)`,
      )
    );
  }
  return client;
}

/**
 * Connects a client command to `url`. On a loopback URL without a stored
 * device token this is the plain connect of before, retried with the device
 * identity only when the gateway answers `DEVICE_IDENTITY_REQUIRED` (it sees
 * the peer as remote, e.g. behind a proxy). Errors are the client's
 * (see `describeClientError`) or a {@link CliError} about the identity file.
 */
export async function connectCli(
  ctx: CliContext,
  url: string,
  opts: ConnectOptions = {},
): Promise<GatewayClient> {
  const stateDir = ctx.paths.stateDir;
  if (isLoopbackUrl(url)) {
    if (await identityExists(stateDir)) {
      const device = await loadIdentity(stateDir);
      const role = opts.role ?? "operator";
      if (await loadDeviceToken(stateDir, { deviceId: device.deviceId, url, role })) {
        return await connectAsDevice(ctx, url, opts, device);
      }
    }
    try {
      return await GatewayClient.connect(url, opts);
    } catch (err) {
      if (detailsCode(err) !== "DEVICE_IDENTITY_REQUIRED") throw err;
    }
  }
  return await connectAsDevice(ctx, url, opts, await loadIdentity(stateDir));
}

/**
 * The message for a connect refused with `NOT_PAIRED`: the request id and
 * the exact command to run on the gateway host; `undefined` for other errors.
 */
export function pairingHint(err: unknown, url: string): string | undefined {
  if (!(err instanceof GatewayCallError) || err.method !== "connect") return undefined;
  if (err.error.code !== "NOT_PAIRED") return undefined;
  const details = err.error.details as { requestId?: string; deviceId?: string } | undefined;
  if (!details?.requestId) return undefined;
  return `Gateway at ${url} has not approved this device yet (requestId: ${details.requestId}` +
    `${details.deviceId ? `, deviceId: ${details.deviceId}` : ""}); on the gateway host run:\n` +
    `  openclaw devices approve ${details.requestId}\n` +
    "then run this command again (the request expires after 5 minutes)";
}
