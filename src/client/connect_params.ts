/**
 * What the gateway client says in its handshake: the `connect` params built
 * from its options, the device signature over the challenge nonce, and the
 * message a failed handshake's close turns into.
 *
 * @module
 */

import type { ConnectParams } from "../../protocol/schemas/connect.ts";
import { MAX_PROTOCOL, MIN_PROTOCOL } from "../../protocol/version.ts";
import { signaturePayload } from "../nodes/identity.ts";
import { VERSION } from "../version.ts";
import type { DeviceSigner } from "./device_identity.ts";

/** Options of {@link GatewayClient.connect}. */
export interface ConnectOptions {
  token?: string;
  password?: string;
  timeoutMs?: number;
  clientId?: ConnectParams["client"]["id"];
  mode?: ConnectParams["client"]["mode"];
  role?: "operator" | "node";
  scopes?: string[];
  instanceId?: string;
  displayName?: string;
  minProtocol?: number;
  maxProtocol?: number;
  /** Extra connect params (caps, commands, ...). */
  extra?: Partial<ConnectParams>;
  /** Signs the connect (v3 payload over the challenge nonce) with this device. */
  device?: DeviceSigner;
  /** A device token from an earlier `hello-ok`, sent as `auth.deviceToken`. */
  deviceToken?: string;
}

/** `params` plus `device`, signed over the challenge `nonce` as src/nodes/identity.ts verifies. */
export async function signConnect(
  params: ConnectParams,
  device: DeviceSigner,
  nonce: string,
): Promise<ConnectParams> {
  const signedAt = Date.now();
  const text = signaturePayload("v3", { id: device.deviceId, signedAt, nonce }, {
    clientId: params.client.id,
    clientMode: params.client.mode,
    role: params.role ?? "operator",
    scopes: params.scopes ?? [],
    // The credential sent, picked as the gateway (and 2026.9.6) verifies it.
    token: params.auth?.token ?? params.auth?.deviceToken ?? params.auth?.bootstrapToken ?? "",
    platform: params.client.platform,
    deviceFamily: params.client.deviceFamily,
  });
  return {
    ...params,
    device: {
      id: device.deviceId,
      publicKey: device.publicKey,
      signature: await device.sign(text),
      signedAt,
      nonce,
    },
  };
}

/** The `connect` params for `opts` (unsigned; see {@link signConnect}). */
export function connectParams(opts: ConnectOptions): ConnectParams {
  return {
    minProtocol: opts.minProtocol ?? MIN_PROTOCOL,
    maxProtocol: opts.maxProtocol ?? MAX_PROTOCOL,
    client: {
      id: opts.clientId ?? "cli",
      version: VERSION,
      platform: Deno.build.os,
      mode: opts.mode ?? "cli",
      ...(opts.instanceId ? { instanceId: opts.instanceId } : {}),
      ...(opts.displayName ? { displayName: opts.displayName } : {}),
    },
    role: opts.role ?? "operator",
    scopes: opts.scopes ?? ["operator.admin"],
    ...(opts.token || opts.password || opts.deviceToken
      ? {
        auth: {
          ...(opts.token ? { token: opts.token } : {}),
          ...(opts.password ? { password: opts.password } : {}),
          ...(opts.deviceToken ? { deviceToken: opts.deviceToken } : {}),
        },
      }
      : {}),
    ...opts.extra,
  };
}

/** Why the socket closed before `hello-ok`, in words that say what to check. */
export function closeMessage(
  url: string,
  close: { upgradeStatus?: number; opened: boolean; code: number; reason: string },
): string {
  const { upgradeStatus } = close;
  return upgradeStatus === 503
    ? `Gateway at ${url} is busy (HTTP 503: too many connections are waiting for ` +
      "their handshake, or it is shutting down); retry in a moment"
    : upgradeStatus
    ? `${url} answered HTTP ${upgradeStatus} instead of a WebSocket upgrade ` +
      "(is this an OpenClaw gateway? check --url or the port)"
    : !close.opened
    ? `Gateway not reachable at ${url} (connection refused)`
    : `Gateway at ${url} closed the connection (${close.code}${
      close.reason ? ` ${close.reason}` : ""
    })`;
}
