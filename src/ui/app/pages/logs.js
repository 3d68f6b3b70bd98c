// Logs: `logs.tail` from a cursor, following every 2 s, the last 2000 lines kept.

import { html } from "lit";
import { gw } from "../gateway.js";
import { GwElement } from "../lib.js";

const KEEP = 2000;

class Logs extends GwElement {
  static properties = { _lines: { state: true }, _note: { state: true } };
  #timer;
  #cursor;
  #file;

  constructor() {
    super();
    this._lines = [];
    this._note = "Loading…";
  }

  connectedCallback() {
    super.connectedCallback();
    this.poll();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  async poll() {
    clearTimeout(this.#timer);
    try {
      const res = await gw.request("logs.tail", {
        limit: 500,
        maxBytes: 250_000,
        ...(this.#cursor !== undefined ? { cursor: this.#cursor, file: this.#file } : {}),
      });
      const lines = res.reset ? [] : this._lines;
      this.#cursor = res.cursor;
      this.#file = res.file;
      if (res.reset || res.lines.length) this._lines = [...lines, ...res.lines].slice(-KEEP);
      this._note = `Following ${res.file}`;
    } catch (err) {
      this._note = `Logs unavailable: ${err.message}`;
    }
    if (this.isConnected) this.#timer = setTimeout(() => this.poll(), 2000);
  }

  updated() {
    const pre = this.querySelector("pre");
    if (pre) pre.scrollTop = pre.scrollHeight;
  }

  render() {
    return html`
      <p role="status">${this._note}</p>
      <pre class="log" data-testid="log-lines" tabindex="0" aria-label="Gateway log">${this._lines
        .join("\n")}</pre>
    `;
  }
}

customElements.define("oc-logs", Logs);
