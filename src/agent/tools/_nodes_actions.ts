/**
 * The `nodes` tool's node-targeted actions as data: which node command each
 * action invokes and with which params (from the tool's arguments). Media
 * actions (`camera_snap`, `camera_clip`, `screen_record`, `screen_snapshot`)
 * also say how their payload becomes a result. Private to tools/.
 *
 * @module
 */

import { optBool, optNumber, optString, ToolFailure } from "./_util.ts";

/** One node command the action runs. */
export interface NodeCall {
  command: string;
  params: Record<string, unknown>;
}

type Args = Record<string, unknown>;

/** Drops undefined values (the node sees only what was given). */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function oneOf<T extends string>(args: Args, key: string, values: readonly T[]): T | undefined {
  const v = optString(args, key, { max: 64 });
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) {
    throw new ToolFailure(`Argument "${key}" must be one of ${values.join(", ")}, got "${v}"`);
  }
  return v as T;
}

/** Parses `3s`, `1500ms`, `2m`, or a bare number of milliseconds. */
export function durationMs(args: Args, fallback: number): number {
  const ms = optNumber(args, "durationMs", { min: 1, max: 300_000, integer: true });
  if (ms !== undefined) return ms;
  const raw = optString(args, "duration", { max: 32 });
  if (raw === undefined || raw.trim() === "") return fallback;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/i.exec(raw);
  if (!m) {
    throw new ToolFailure(`Argument "duration" must look like 3s, 1500ms or 2m, got "${raw}"`);
  }
  const n = Number(m[1]) * ({ ms: 1, s: 1000, m: 60_000 }[(m[2] ?? "ms").toLowerCase()] ?? 1);
  if (n < 1 || n > 300_000) {
    throw new ToolFailure(`Argument "duration" must be between 1 ms and 5 min, got "${raw}"`);
  }
  return Math.round(n);
}

function bins(args: Args): string[] {
  const v = args.bins;
  if (!Array.isArray(v) || v.length === 0 || v.length > 64) {
    throw new ToolFailure(`Argument "bins" must be 1 to 64 executable names`);
  }
  return v.map((b, i) => {
    if (typeof b !== "string" || !b.trim() || b.length > 256) {
      throw new ToolFailure(`Argument "bins[${i}]" must be a non-empty name`);
    }
    return b.trim();
  });
}

/** Actions that map to one node command with a JSON payload answer. */
export const SIMPLE_ACTIONS: Readonly<Record<string, (args: Args) => NodeCall>> = {
  notify(args) {
    const title = optString(args, "title", { max: 1000 })?.trim() ?? "";
    const body = optString(args, "body", { max: 10_000 })?.trim() ?? "";
    if (!title && !body) throw new ToolFailure(`Nothing to notify: pass title or body`);
    return {
      command: "system.notify",
      params: defined({
        title: title || undefined,
        body: body || undefined,
        sound: optString(args, "sound", { max: 200 }),
        priority: oneOf(args, "priority", ["passive", "active", "timeSensitive"]),
        delivery: oneOf(args, "delivery", ["system", "overlay", "auto"]),
      }),
    };
  },
  camera_list: () => ({ command: "camera.list", params: {} }),
  camera_ptz(args) {
    const op = oneOf(args, "ptzOperation", ["status", "set", "move", "home"]) ?? "status";
    const deviceId = optString(args, "deviceId", { max: 256 });
    if (!deviceId) {
      throw new ToolFailure(`camera_ptz needs deviceId: use a camera_list devices[].id value`);
    }
    const axes = op === "set" || op === "move"
      ? {
        panDegrees: optNumber(args, "panDegrees"),
        tiltDegrees: optNumber(args, "tiltDegrees"),
        zoomPercent: optNumber(args, "zoomPercent"),
      }
      : {};
    return { command: `camera.ptz.${op}`, params: defined({ deviceId, ...axes }) };
  },
  photos_latest: (args) => ({
    command: "photos.latest",
    params: defined({ limit: optNumber(args, "limit", { min: 1, max: 20, integer: true }) }),
  }),
  location_get: (args) => ({
    command: "location.get",
    params: defined({
      maxAgeMs: optNumber(args, "maxAgeMs", { min: 0, integer: true }),
      desiredAccuracy: oneOf(args, "desiredAccuracy", ["coarse", "balanced", "precise"]),
      timeoutMs: optNumber(args, "locationTimeoutMs", { min: 1, max: 600_000, integer: true }),
    }),
  }),
  notifications_list: (args) => ({
    command: "notifications.list",
    params: defined({ limit: optNumber(args, "limit", { min: 1, max: 20, integer: true }) }),
  }),
  notifications_action(args) {
    const action = oneOf(args, "notificationAction", ["open", "dismiss", "reply"]);
    const key = optString(args, "notificationKey", { max: 512 });
    if (!action || !key) {
      throw new ToolFailure(`notifications_action needs notificationAction and notificationKey`);
    }
    const replyText = optString(args, "notificationReplyText", { max: 4000 });
    if (action === "reply" && !replyText?.trim()) {
      throw new ToolFailure(`A reply needs notificationReplyText`);
    }
    return { command: "notifications.action", params: defined({ key, action, replyText }) };
  },
  device_status: () => ({ command: "device.status", params: {} }),
  device_info: () => ({ command: "device.info", params: {} }),
  device_permissions: () => ({ command: "device.permissions", params: {} }),
  device_health: () => ({ command: "device.health", params: {} }),
  which: (args) => ({ command: "system.which", params: { bins: bins(args) } }),
};

/** `camera_snap`: one call per facing (`both` = front then back). */
export function cameraSnapCalls(args: Args): NodeCall[] {
  const facing = oneOf(args, "facing", ["front", "back", "both"]) ?? "both";
  const params = defined({
    maxWidth: optNumber(args, "maxWidth", { min: 1, max: 8192, integer: true }),
    quality: optNumber(args, "quality", { min: 0, max: 1 }),
    format: "jpg",
    delayMs: optNumber(args, "delayMs", { min: 0, max: 60_000, integer: true }),
    deviceId: optString(args, "deviceId", { max: 256 }),
  });
  const facings = facing === "both" ? ["front", "back"] : [facing];
  return facings.map((f) => ({ command: "camera.snap", params: { facing: f, ...params } }));
}

/** `camera_clip`. */
export function cameraClipCall(args: Args): NodeCall {
  const facing = oneOf(args, "facing", ["front", "back", "both"]) ?? "front";
  if (facing === "both") throw new ToolFailure(`camera_clip takes facing front or back, not both`);
  return {
    command: "camera.clip",
    params: defined({
      facing,
      durationMs: durationMs(args, 3000),
      includeAudio: optBool(args, "includeAudio") ?? true,
      format: "mp4",
      deviceId: optString(args, "deviceId", { max: 256 }),
    }),
  };
}

/** `screen_record`. */
export function screenRecordCall(args: Args): NodeCall {
  return {
    command: "screen.record",
    params: {
      durationMs: durationMs(args, 10_000),
      screenIndex: optNumber(args, "screenIndex", { min: 0, max: 64, integer: true }) ?? 0,
      fps: optNumber(args, "fps", { min: 0.1, max: 60 }) ?? 10,
      format: "mp4",
      includeAudio: optBool(args, "includeAudio") ?? true,
    },
  };
}

/** `screen_snapshot`. */
export function screenSnapshotCall(args: Args): NodeCall {
  return {
    command: "screen.snapshot",
    params: defined({
      screenIndex: optNumber(args, "screenIndex", { min: 0, max: 64, integer: true }),
      maxWidth: optNumber(args, "maxWidth", { min: 1, max: 8192, integer: true }),
      format: "jpg",
    }),
  };
}

/** Largest base64 media a node may hand the agent (about 24 MB of data). */
export const MAX_MEDIA_BASE64 = 32 * 1024 * 1024;

/** A media payload (`{format, base64, ...}`) checked for shape and size. */
export function mediaPayload(payload: unknown, command: string): Record<string, unknown> & {
  format: string;
  base64: string;
} {
  const p = payload as Record<string, unknown> | null;
  if (!p || typeof p.base64 !== "string" || typeof p.format !== "string") {
    throw new ToolFailure(`The node's ${command} answer has no base64/format media`);
  }
  if (p.base64.length > MAX_MEDIA_BASE64) {
    throw new ToolFailure(`The node's ${command} media is over ${MAX_MEDIA_BASE64} base64 chars`);
  }
  if (!/^[A-Za-z0-9+/=\s]*$/.test(p.base64)) {
    throw new ToolFailure(`The node's ${command} media is not base64`);
  }
  return p as Record<string, unknown> & { format: string; base64: string };
}
