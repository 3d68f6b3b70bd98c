// Overview: the gateway at a glance. Cards for the gateway, model, channels
// and health, a presence table of connected clients and nodes, refreshed
// every 5 s while shown and soon after a presence change; the raw snapshots
// stay one click away for debugging.

import { html } from "lit";
import { gw } from "../gateway.js";
import { GwElement } from "../lib.js";
import {
  channelsCard,
  gatewayCard,
  healthCard,
  modelCard,
  presenceTable,
} from "../widgets/overview_cards.js";

/** Snapshot name -> gateway method (each fetched with `{}`). */
const METHODS = {
  status: "status",
  health: "health",
  presence: "system-presence",
  models: "models.list",
  agents: "agents.list",
  channels: "channels.status",
  nodes: "node.list",
};
const REFRESH_MS = 5000;

class Overview extends GwElement {
  static properties = { _data: { state: true }, _errors: { state: true } };
  /** Time between refreshes while shown (tests lengthen it to isolate presence events). */
  refreshMs = REFRESH_MS;
  #timer;
  #loading = false;
  #fetchedAt = 0;

  constructor() {
    super();
    this._data = undefined;
    this._errors = {};
  }

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  onConnected() {
    this.load();
  }

  onGatewayEvent(f) {
    // Someone connected or left: refresh soon (events come in bursts).
    if (f.event === "presence") this.#schedule(250);
  }

  #schedule(ms) {
    clearTimeout(this.#timer);
    if (this.isConnected) this.#timer = setTimeout(() => this.load(), ms);
  }

  async load() {
    if (this.#loading) return;
    this.#loading = true;
    clearTimeout(this.#timer);
    const data = {};
    const errors = {};
    await Promise.all(
      Object.entries(METHODS).map(async ([name, method]) => {
        try {
          data[name] = await gw.request(method, {});
        } catch (err) {
          errors[name] = `${method}: ${err.message}`;
        }
      }),
    );
    this.#loading = false;
    this.#fetchedAt = Date.now();
    this._data = data;
    this._errors = errors;
    this.#schedule(this.refreshMs);
  }

  render() {
    const d = this._data;
    if (!d) return html`<p role="status">Loading…</p>`;
    const now = Date.now();
    const errors = Object.values(this._errors);
    const device = gw.device;
    return html`
      <div class="page-head">
        <h1>Overview</h1>
        <button type="button" @click=${() => this.load()}>Refresh</button>
      </div>
      ${errors.length
        ? html`<p class="error" role="alert">Some details are missing: ${errors.join("; ")}</p>`
        : null}
      <div class="grid">
        ${gatewayCard(d.status, this.#fetchedAt, now)} ${modelCard(d.status, d.models, d.agents)}
        ${channelsCard(d.channels)} ${healthCard(d.health, d.status)}
      </div>
      ${presenceTable(d.presence, d.nodes, now)}
      <p class="muted" data-testid="this-device">This browser: ${device
        ? `device ${device.id.slice(0, 12)}…, signed in with ${
          device.via === "device-token" ? "its device token" : "the gateway secret"
        }`
        : "no device identity (signed in with the gateway secret only)"}</p>
      <details class="raw">
        <summary>Raw snapshots</summary>
        ${Object.keys(METHODS).map((name) =>
          html`
            <h3>${METHODS[name]}</h3>
            <pre>${JSON.stringify(d[name] ?? null, null, 2)}</pre>
          `
        )}
      </details>
    `;
  }
}

customElements.define("oc-overview", Overview);
