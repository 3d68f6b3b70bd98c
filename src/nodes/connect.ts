/**
 * The device part of `connect`: verify the signed identity, accept a device
 * token in place of the shared secret, then device pairing. Wraps the
 * synchronous shared-secret decision of `src/server/handshake.ts`.
 *
 * @module
 */

import { ErrorCodes, errorShape } from "../../protocol/errors.ts";
import type { ConnectParams } from "../../protocol/schemas/connect.ts";
import { type Accepted, closeReason, type Refused } from "../server/handshake.ts";
import { DeviceStoreError } from "./device_store.ts";
import type { DeviceRegistry } from "./devices.ts";
import { verifyDevice } from "./identity.ts";
import { inAnyCidr } from "./cidr.ts";

/** What {@link decideDeviceConnect} needs. */
export interface DeviceConnectDeps {
  registry: DeviceRegistry;
  /** `gateway.nodes.pairing.autoApproveLocal` (default true), read per connect. */
  autoApproveLocal: () => boolean;
  /** `gateway.nodes.pairing.autoApproveCidrs` (first-time nodes only), read per connect. */
  autoApproveCidrs?: () => readonly string[];
  /** The shared-secret decision; `deviceTokenValid` stands in for the secret. */
  decide(params: ConnectParams, opts: { deviceTokenValid: boolean }): Accepted | Refused;
  /** Store failures are logged here (the client gets a short answer). */
  onStoreError?: (err: Error) => void;
  now?: () => number;
}

function refuse(
  code: "INVALID_REQUEST" | "NOT_PAIRED" | "UNAVAILABLE",
  message: string,
  details: Record<string, unknown>,
  close = { code: 1008, reason: message },
): Refused {
  return {
    ok: false,
    error: errorShape(ErrorCodes[code], message, { details }),
    closeCode: close.code,
    closeReason: closeReason(close.reason),
  };
}

/** Decides a `connect` that carries `params.device`. */
export async function decideDeviceConnect(
  params: ConnectParams & { device: NonNullable<ConnectParams["device"]> },
  peer: { isLoopback: boolean; remoteIp?: string },
  nonce: string,
  deps: DeviceConnectDeps,
): Promise<Accepted | Refused> {
  const role = params.role ?? "operator";
  const requested = role === "node" ? [] : [...new Set(params.scopes ?? [])];
  // The credential the client signed: 2026.9.6 clients reconnecting with only
  // their stored device token (`auth.deviceToken`) sign that one.
  const token = params.auth?.token ?? params.auth?.deviceToken ?? params.auth?.bootstrapToken ??
    "";
  const verdict = await verifyDevice(params.device, {
    nonce,
    now: (deps.now ?? Date.now)(),
    fields: {
      clientId: params.client.id,
      clientMode: params.client.mode,
      role,
      scopes: params.scopes ?? [],
      token,
      platform: params.client.platform,
      deviceFamily: params.client.deviceFamily,
    },
  });
  if (!verdict.ok) {
    return refuse("INVALID_REQUEST", verdict.message, {
      code: verdict.code,
      reason: verdict.reason,
    });
  }
  const { deviceId } = verdict;
  try {
    const offered = params.auth?.deviceToken ?? params.auth?.token;
    const record = offered ? await deps.registry.checkToken(deviceId, role, offered) : undefined;
    const base = deps.decide(params, { deviceTokenValid: record !== undefined });
    if (!base.ok) return base;
    if (record) {
      const extra = requested.filter((s) => !record.scopes.includes(s));
      if (extra.length > 0) {
        return refuse(
          "INVALID_REQUEST",
          `unauthorized: device token does not grant ${
            extra.join(", ")
          } (pair again with those scopes)`,
          {
            code: "AUTH_DEVICE_TOKEN_SCOPE_MISMATCH",
            recommendedNextStep: "update_auth_credentials",
          },
        );
      }
      return {
        ...base,
        scopes: requested,
        device: {
          deviceId,
          token: offered!,
          issuedAtMs: record.rotatedAtMs ?? record.createdAtMs,
        },
      };
    }
    const admitted = await deps.registry.admit({
      deviceId,
      publicKey: verdict.publicKey,
      meta: {
        ...(params.client.displayName ? { displayName: params.client.displayName } : {}),
        platform: params.client.platform,
        ...(params.client.deviceFamily ? { deviceFamily: params.client.deviceFamily } : {}),
        clientId: params.client.id,
        clientMode: params.client.mode,
      },
      role,
      scopes: requested,
      autoApprove: peer.isLoopback && deps.autoApproveLocal(),
      // A trusted network pairs a new node device, never an upgrade or an operator.
      autoApproveFirstNode: role === "node" && peer.remoteIp !== undefined &&
        inAnyCidr(peer.remoteIp, deps.autoApproveCidrs?.() ?? []),
    });
    if ("pending" in admitted) {
      const p = admitted.pending;
      const message = "pairing required: device is not approved yet";
      return refuse("NOT_PAIRED", message, {
        code: "PAIRING_REQUIRED",
        reason: p.reason,
        requestId: p.requestId,
        remediationHint: "Approve this device from the pending pairing requests.",
        deviceId,
        requestedRole: role,
        ...(role === "node" ? {} : { requestedScopes: requested }),
      }, { code: 1008, reason: `${message} (requestId: ${p.requestId})` });
    }
    const issued = await deps.registry.issueToken(deviceId, role, requested);
    return {
      ...base,
      device: { deviceId, token: issued!.token, issuedAtMs: issued!.issuedAtMs },
    };
  } catch (err) {
    if (!(err instanceof DeviceStoreError)) throw err;
    deps.onStoreError?.(err);
    return refuse(
      "UNAVAILABLE",
      "device store unreadable: the gateway cannot check pairing (see the gateway log)",
      { code: "DEVICE_STORE_UNREADABLE" },
      { code: 1011, reason: "device store unreadable" },
    );
  }
}
