// Overview: health, status and presence snapshots.

import { html } from "lit";
import { gw } from "../gateway.js";
import { GwElement } from "../lib.js";

const METHODS = ["health", "status", "system-presence"];

class Overview extends GwElement {
  static properties = { _data: { state: true } };

  constructor() {
    super();
    this._data = {};
  }

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  onConnected() {
    this.load();
  }

  async load() {
    const data = {};
    await Promise.all(METHODS.map(async (m) => {
      try {
        data[m] = { ok: true, value: await gw.request(m, {}) };
      } catch (err) {
        data[m] = { ok: false, error: err.message };
      }
    }));
    this._data = data;
  }

  render() {
    if (!Object.keys(this._data).length) return html`<p role="status">Loading…</p>`;
    return METHODS.map((m) => {
      const d = this._data[m];
      return html`<h2>${m}</h2>${
        d.ok
          ? html`<pre>${JSON.stringify(d.value, null, 2)}</pre>`
          : html`<p class="error">${d.error}</p>`
      }`;
    });
  }
}

customElements.define("oc-overview", Overview);
