// The control UI's one gateway connection: the connect handshake, request /
// response matching with a time limit, events, and automatic reconnect with
// backoff (800 ms doubling to 15 s, as the real UI does). The connect is
// signed with the browser's device identity when it has one; the device token
// the gateway hands back signs later visits in without the shared secret.

import {
  clearDeviceToken,
  deviceIdentity,
  hasDeviceToken,
  signConnect,
  storedDeviceToken,
  storeDeviceToken,
} from "./device_identity.js";

const VERSION = "0.1.0";
const SCOPES = [
  "operator.admin",
  "operator.read",
  "operator.write",
  "operator.approvals",
  "operator.pairing",
];
const REQ_TIMEOUT_MS = 30_000;

/** The WebSocket URL of this page's gateway: same origin, under the base path. */
export const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/`;
/** sessionStorage key of the shared secret, as the real UI names it. */
export const TOKEN_KEY = `openclaw.control.token.v1:${wsUrl}`;

/** Takes `#token=` (or legacy `?token=`) out of the address bar into sessionStorage. */
export function consumeUrlToken() {
  const url = new URL(location.href);
  const frag = new URLSearchParams(url.hash.slice(1));
  const token = frag.get("token") ?? url.searchParams.get("token");
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token.slice(0, 4096));
  frag.delete("token");
  url.searchParams.delete("token");
  const rest = frag.toString();
  history.replaceState(null, "", url.pathname + url.search + (rest ? `#${rest}` : ""));
}

/**
 * One gateway connection. Emits `state` (connection state changed) and
 * `gw-event` (a gateway event frame, in `detail`).
 */
export class Gateway extends EventTarget {
  #ws;
  #pending = new Map();
  #seq = 0;
  #backoff = 800;
  #timer;
  /** idle | signed-out | connecting | connected | reconnecting | auth-failed */
  state = "idle";
  error = "";
  /** The last hello-ok payload. */
  hello;
  /** This connection's device: `{id, via: "device-token" | "secret"}`, or undefined (device-less). */
  device;

  start() {
    clearTimeout(this.#timer);
    const token = sessionStorage.getItem(TOKEN_KEY) ?? "";
    if (!token && !hasDeviceToken(wsUrl)) return this.#set("signed-out", "");
    this.#set(this.state === "reconnecting" ? "reconnecting" : "connecting", this.error);
    const ws = new WebSocket(wsUrl);
    this.#ws = ws;
    ws.onmessage = (e) => this.#frame(ws, token, e.data);
    ws.onclose = (e) => {
      if (this.#ws !== ws) return;
      for (const p of this.#pending.values()) p.reject(new Error("Connection closed"));
      this.#pending.clear();
      if (this.state === "auth-failed" || this.state === "signed-out") return;
      const why = e.code === 1008 ? `rejected (${e.reason || "policy"})` : "gateway gone";
      this.#set("reconnecting", `Disconnected: ${why}; retrying in ${this.#backoff} ms`);
      this.#timer = setTimeout(() => this.start(), this.#backoff);
      this.#backoff = Math.min(this.#backoff * 2, 15_000);
    };
  }

  signIn(token) {
    sessionStorage.setItem(TOKEN_KEY, token.slice(0, 4096));
    this.start();
  }

  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    clearDeviceToken(wsUrl);
    this.#set("signed-out", "");
    this.#ws?.close();
  }

  /** Calls `fn(payload, frame)` for each `event` frame named `name`; returns the unsubscribe. */
  on(name, fn) {
    const listener = (e) => {
      if (e.detail.event === name) fn(e.detail.payload ?? {}, e.detail);
    };
    this.addEventListener("gw-event", listener);
    return () => this.removeEventListener("gw-event", listener);
  }

  #set(state, error) {
    this.state = state;
    this.error = error;
    this.dispatchEvent(new Event("state"));
  }

  #frame(ws, token, data) {
    let f;
    try {
      f = JSON.parse(String(data));
    } catch {
      return;
    }
    if (f.type === "event" && f.event === "connect.challenge") {
      let challenge = f.payload ?? {};
      try {
        if (typeof challenge.payloadJson === "string") {
          challenge = JSON.parse(challenge.payloadJson);
        }
      } catch { /* an unsigned connect still works on loopback */ }
      this.#connect(ws, token, challenge).catch((err) => this.#refused(ws, token, err, false));
    } else if (f.type === "res") {
      const p = this.#pending.get(f.id);
      if (!p) return;
      this.#pending.delete(f.id);
      if (f.ok) p.resolve(f.payload);
      else p.reject(Object.assign(new Error(f.error?.message ?? "Request failed"), f.error));
    } else if (f.type === "event") {
      this.dispatchEvent(new CustomEvent("gw-event", { detail: f }));
    }
  }

  async #connect(ws, token, challenge) {
    const identity = await deviceIdentity();
    const deviceToken = identity ? storedDeviceToken(wsUrl, identity.deviceId) : undefined;
    if (!token && !deviceToken) {
      this.#set("signed-out", "");
      return ws.close();
    }
    const client = {
      id: "openclaw-control-ui",
      version: VERSION,
      platform: (navigator.platform || "web").slice(0, 64),
      mode: "webchat",
    };
    const signed = identity && typeof challenge.nonce === "string" && Number.isFinite(challenge.ts)
      ? await signConnect(identity, challenge, {
        clientId: client.id,
        clientMode: client.mode,
        role: "operator",
        scopes: SCOPES,
        // The credential sent, as the gateway verifies it: the secret, else the device token.
        token: token || deviceToken || "",
        platform: client.platform,
      })
      : undefined;
    try {
      const hello = await this.request("connect", {
        minProtocol: 3,
        maxProtocol: 4,
        client,
        role: "operator",
        scopes: SCOPES,
        caps: ["tool-events"],
        auth: { ...(token ? { token } : {}), ...(deviceToken ? { deviceToken } : {}) },
        ...(signed ? { device: signed } : {}),
      }, ws);
      if (signed) storeDeviceToken(wsUrl, signed.id, hello.auth);
      this.device = signed
        ? {
          id: signed.id,
          via: deviceToken && hello.auth?.deviceToken === deviceToken ? "device-token" : "secret",
        }
        : undefined;
      this.hello = hello;
      this.#backoff = 800;
      this.#set("connected", "");
    } catch (err) {
      this.#refused(ws, token, err, deviceToken !== undefined);
    }
  }

  #refused(ws, token, err, usedDeviceToken) {
    const code = err.code ?? "";
    const limited = code === "RATE_LIMITED" || /rate/i.test(err.message);
    const msg = limited ? `Too many attempts: ${err.message}` : `Sign-in failed: ${err.message}`;
    // A refused device token is forgotten; the shared secret signs in again.
    if (usedDeviceToken && !limited) clearDeviceToken(wsUrl);
    if (!limited) sessionStorage.removeItem(TOKEN_KEY);
    this.#set(token || !usedDeviceToken ? "auth-failed" : "signed-out", msg);
    ws.close();
  }

  /** Sends one request; rejects on error, close or after 30 s. */
  request(method, params = {}, ws = this.#ws) {
    return new Promise((resolve, reject) => {
      if (!ws || ws.readyState !== WebSocket.OPEN) return reject(new Error("Not connected"));
      const id = `ui-${++this.#seq}`;
      const t = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${method} timed out`));
      }, REQ_TIMEOUT_MS);
      this.#pending.set(id, {
        resolve: (v) => (clearTimeout(t), resolve(v)),
        reject: (e) => (clearTimeout(t), reject(e)),
      });
      ws.send(JSON.stringify({ type: "req", id, method, params }));
    });
  }
}

/** The page's one connection. */
export const gw = new Gateway();
