// Shared pieces for pages: a light-DOM Lit base class wired to the gateway,
// and small formatters.

import { LitElement } from "lit";
import { gw } from "./gateway.js";

/**
 * A page or widget: renders into the light DOM (the global stylesheet
 * applies, no inline styles under the CSP), and gets `onGatewayEvent(frame)`
 * for every gateway event while it is on screen, and `onConnected()` each
 * time the connection comes back (reload what the page shows).
 */
export class GwElement extends LitElement {
  #onEvent = (e) => this.onGatewayEvent?.(e.detail);
  #onState = () => {
    if (gw.state === "connected") this.onConnected?.();
  };

  createRenderRoot() {
    return this;
  }

  connectedCallback() {
    super.connectedCallback();
    gw.addEventListener("gw-event", this.#onEvent);
    gw.addEventListener("state", this.#onState);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    gw.removeEventListener("gw-event", this.#onEvent);
    gw.removeEventListener("state", this.#onState);
  }
}

/**
 * A page or widget showing data read from the gateway. Subclasses implement
 * `load()`; it runs on screen entry, on each reconnect and from `refresh()`.
 * `reloadSoon(ms)` turns a burst of events into one load, `pollMs` re-reads
 * on a timer while on screen (0: never), and `act(busy, fn, fail)` runs one
 * user action: `_busy` while it runs, `_note` from `fn`'s result or `_error`
 * from `fail(err)`, then a reload. Timers stop when the element leaves.
 */
export class DataElement extends GwElement {
  static properties = {
    _error: { state: true },
    _note: { state: true },
    _busy: { state: true },
  };
  /** Re-read every this many ms while on screen (0: only on load triggers). */
  pollMs = 0;
  #soon;
  #poll;

  constructor() {
    super();
    this._error = "";
    this._note = "";
    this._busy = "";
  }

  connectedCallback() {
    super.connectedCallback();
    this.refresh();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.#soon);
    this.#soon = undefined;
    clearTimeout(this.#poll);
  }

  onConnected() {
    this.refresh();
  }

  /** Loads now and restarts the poll (one timer even when loads overlap). */
  async refresh() {
    clearTimeout(this.#poll);
    await this.load();
    clearTimeout(this.#poll);
    if (this.pollMs > 0 && this.isConnected) {
      this.#poll = setTimeout(() => this.refresh(), this.pollMs);
    }
  }

  /** One refresh `ms` from the first call of a burst. */
  reloadSoon(ms) {
    if (this.#soon) return;
    this.#soon = setTimeout(() => {
      this.#soon = undefined;
      this.refresh();
    }, ms);
  }

  /** Runs one user action (see the class comment). */
  async act(busy, fn, fail = (err) => err.message) {
    this._busy = busy;
    try {
      this._note = await fn();
      this._error = "";
    } catch (err) {
      this._note = "";
      this._error = fail(err);
    } finally {
      this._busy = "";
    }
    await this.refresh();
  }
}

/** The text parts of a transcript message (`content` string or parts). */
export function textOf(message) {
  const c = message?.content;
  if (typeof c === "string") return c;
  if (Array.isArray(c)) return c.filter((p) => p.type === "text").map((p) => p.text).join("");
  return "";
}

/** "3 s ago", "5 min ago", "2 h ago", "4 d ago" for an epoch-ms time. */
export function ago(ms, now = Date.now()) {
  if (!ms) return "never";
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

/** "1 h 2 min" / "45 s" for a duration in ms. */
export function duration(ms) {
  const s = Math.round((ms ?? 0) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** 1234 -> "1.2k", 1234567 -> "1.2M". */
export function count(n) {
  if (typeof n !== "number") return "–";
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1000).toFixed(1)}k`;
  return `${(n / 1e6).toFixed(1)}M`;
}
