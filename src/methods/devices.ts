/**
 * `device.pair.*` and `device.token.*` handlers: operators approve, reject
 * and remove devices, and rotate or revoke device tokens.
 *
 * @module
 */

import { invalidRequest } from "../errors.ts";
import type { CallContext } from "../server/router.ts";
import { hasScope } from "../server/scopes.ts";
import { pairedView, pendingView } from "../nodes/devices.ts";
import type { Nodes } from "../nodes/mod.ts";

/** Builds the device handlers. */
export function deviceHandlers(nodes: Nodes) {
  const { devices } = nodes;
  const connected = (deviceId: string) => nodes.deviceConns(deviceId).length > 0;
  const unknownRequest = (requestId: string) =>
    invalidRequest(
      `unknown requestId "${requestId}": it may have expired (requests last 5 min; run "openclaw devices list")`,
      { requestId },
    );
  // Node tokens let a process run commands for the gateway: minting or
  // voiding one takes operator.admin besides operator.pairing (spec §3.2).
  const nodeTokenGuard = (role: string, ctx: CallContext) => {
    if (role === "node" && !hasScope(ctx.scopes, "operator.admin")) {
      throw invalidRequest("missing scope: operator.admin (node tokens need it)");
    }
  };
  const unknownDevice = (deviceId: string) =>
    invalidRequest(`unknown deviceId "${deviceId}" (run "openclaw devices list")`, { deviceId });
  return {
    "device.pair.list": async () => {
      const state = await devices.state();
      return {
        pending: Object.values(state.pending).map(pendingView),
        paired: Object.values(state.paired).map((d) => ({
          ...pairedView(d),
          connected: connected(d.deviceId),
        })),
      };
    },
    "device.pair.approve": async (p: { requestId: string }) => {
      const device = await devices.approve(p.requestId);
      if (!device) throw unknownRequest(p.requestId);
      return { requestId: p.requestId, device: pairedView(device) };
    },
    "device.pair.reject": async (p: { requestId: string }) => {
      const req = await devices.reject(p.requestId);
      if (!req) throw unknownRequest(p.requestId);
      return { requestId: p.requestId, deviceId: req.deviceId };
    },
    "device.pair.remove": async (p: { deviceId: string }) => {
      if (!await devices.remove(p.deviceId)) throw unknownDevice(p.deviceId);
      // Work queued for the old pairing must not reach a device paired again
      // later, nor may its approved commands and caps (canvas) come back with
      // it. Forgotten before the close, so a quick reconnect asks afresh.
      await nodes.pairing.forget(p.deviceId);
      nodes.closeDevice(p.deviceId, "device removed");
      nodes.actions.clear(p.deviceId);
      nodes.work.clear(p.deviceId);
      return { deviceId: p.deviceId, removed: true as const };
    },
    "device.pair.rename": async (p: { deviceId: string; label: string }) => {
      const label = p.label.trim();
      if (!label) throw invalidRequest("label required: give the device a non-blank name");
      if (!await devices.label(p.deviceId, label)) throw unknownDevice(p.deviceId);
      return { deviceId: p.deviceId, label };
    },
    "device.token.rotate": async (
      p: { deviceId: string; role: string; scopes?: string[] },
      ctx: CallContext,
    ) => {
      nodeTokenGuard(p.role, ctx);
      const device = await devices.get(p.deviceId);
      if (!device) throw unknownDevice(p.deviceId);
      if (!device.roles.includes(p.role)) {
        throw invalidRequest(
          `device "${p.deviceId}" is not paired for role "${p.role}" (its roles: ${
            device.roles.join(", ")
          })`,
        );
      }
      const scopes = p.role === "node" ? [] : p.scopes ?? device.scopes;
      const extra = scopes.filter((s) => !device.scopes.includes(s));
      if (extra.length > 0) {
        throw invalidRequest(
          `device "${p.deviceId}" is not paired for ${
            extra.join(", ")
          } (approve a scope upgrade first)`,
        );
      }
      const issued = await devices.issueToken(p.deviceId, p.role, scopes, { rotate: true });
      // Rotation takes effect now: whoever holds the old token (a leak is why
      // one rotates) loses the session it opened with it, and its scopes.
      // The caller's own connection stays: it is the one holding the new token.
      nodes.closeDevice(p.deviceId, "device token rotated", p.role, ctx.connId);
      return {
        deviceId: p.deviceId,
        role: p.role,
        scopes,
        token: issued!.token,
        issuedAtMs: issued!.issuedAtMs,
      };
    },
    "device.token.revoke": async (p: { deviceId: string; role: string }, ctx: CallContext) => {
      nodeTokenGuard(p.role, ctx);
      if (!await devices.revoke(p.deviceId, p.role)) {
        throw invalidRequest(
          `device "${p.deviceId}" has no ${p.role} token (run "openclaw devices list")`,
        );
      }
      nodes.closeDevice(p.deviceId, "device token revoked", p.role);
      return { deviceId: p.deviceId, role: p.role, revoked: true as const };
    },
  };
}
