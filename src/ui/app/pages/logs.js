// Logs: `logs.tail` from a cursor every 2 s (the last 2000 lines kept), a
// level filter (trace…fatal), a follow toggle (off stops the auto-scroll, the
// polling goes on) and "Export visible" (the filtered lines as a .log file).

import { html } from "lit";
import { gw } from "../gateway.js";
import { GwElement } from "../lib.js";

const KEEP = 2000;
const POLL_MS = 2000;
/** Levels in the order of the gateway's logger (src/log/logger.ts), plus fatal. */
export const LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"];

/**
 * A log line's level and display text: the gateway writes JSON records
 * (`time`, `level`, `subsystem`, `msg`, fields); other lines pass as they are.
 */
export function parseLine(line) {
  if (!line.startsWith("{")) return { level: undefined, text: line };
  try {
    const { time, level, subsystem, msg, ...rest } = JSON.parse(line);
    const t = typeof time === "string" ? time.slice(11, 23) : "";
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : "";
    const lvl = typeof level === "string" ? level.toLowerCase() : undefined;
    return {
      level: lvl,
      text: `${t} ${(lvl ?? "?").toUpperCase().padEnd(5)} ${subsystem ? `[${subsystem}] ` : ""}${
        msg ?? ""
      }${extra}`,
    };
  } catch {
    return { level: undefined, text: line };
  }
}

class Logs extends GwElement {
  static properties = {
    _lines: { state: true },
    _note: { state: true },
    _levels: { state: true },
    _follow: { state: true },
  };
  #timer;
  #cursor;
  #file;

  constructor() {
    super();
    this._lines = [];
    this._note = "Loading…";
    this._levels = new Set(LEVELS);
    this._follow = true;
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
      if (res.reset || res.lines.length) {
        this._lines = [...lines, ...res.lines.map(parseLine)].slice(-KEEP);
      }
      this._note = `Following ${res.file}`;
    } catch (err) {
      this._note = `Logs unavailable: ${err.message}`;
    }
    if (this.isConnected) this.#timer = setTimeout(() => this.poll(), POLL_MS);
  }

  #visible() {
    // Lines without a level (plain text) always show.
    return this._lines.filter((l) => !l.level || this._levels.has(l.level));
  }

  #toggle(level, on) {
    const next = new Set(this._levels);
    if (on) next.add(level);
    else next.delete(level);
    this._levels = next;
  }

  #export() {
    const text = this.#visible().map((l) => l.text).join("\n") + "\n";
    const a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    a.download = `openclaw-logs-${new Date().toISOString().replace(/[:.]/g, "-")}.log`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  }

  updated() {
    if (!this._follow) return;
    const pre = this.querySelector("pre");
    if (pre) pre.scrollTop = pre.scrollHeight;
  }

  render() {
    const visible = this.#visible();
    return html`
      <div class="page-head">
        <h1>Logs</h1>
      </div>
      <p role="status" class="muted">${this._note}</p>
      <div class="log-tools">
        <fieldset>
          <legend>Levels</legend>
          ${LEVELS.map((level) =>
            html`<label class="chip"><input type="checkbox" .checked=${this._levels.has(level)}
              @change=${(e) => this.#toggle(level, e.target.checked)}>${level}</label>`
          )}
        </fieldset>
        <label class="chip"><input type="checkbox" .checked=${this._follow}
          @change=${(e) => (this._follow = e.target.checked)}>Follow</label>
        <button type="button" @click=${() => this.#export()}>Export visible</button>
        <span class="muted" data-testid="log-count">${visible.length} of ${this._lines
          .length} lines</span>
      </div>
      <pre class="log" data-testid="log-lines" tabindex="0" aria-label="Gateway log">${visible
        .map((l) => l.text).join("\n")}</pre>
    `;
  }
}

customElements.define("oc-logs", Logs);
