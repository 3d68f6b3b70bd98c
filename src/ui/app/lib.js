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
