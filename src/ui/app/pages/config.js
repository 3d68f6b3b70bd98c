// Config: the config file as text (JSON5 as stored, secrets masked by the
// gateway), checked by `config.validate` as you type and before saving
// (problems by line and key; what each changed key does: live or restart),
// saved with `config.set` and the hash it was read at, so a concurrent edit
// is refused instead of overwritten.

import { html } from "lit";
import { gw } from "../gateway.js";
import { GwElement } from "../lib.js";
import { changesView, issuesView } from "../widgets/config_report.js";

const CHECK_DELAY_MS = 700;
const MAX_CHARS = 1_000_000;
const MASK = "__OPENCLAW_REDACTED__";
const CONFLICT = /^Config changed since baseHash/;

class Config extends GwElement {
  static properties = {
    _file: { state: true },
    _check: { state: true },
    _saved: { state: true },
    _note: { state: true },
    _error: { state: true },
    _conflict: { state: true },
    _busy: { state: true },
  };
  #hash = "";
  #loaded = "";
  #timer;
  #checkSeq = 0;

  constructor() {
    super();
    this._file = undefined;
    this._check = undefined;
    this._saved = undefined;
    this._note = "Loading…";
    this._error = "";
    this._conflict = false;
    this._busy = false;
  }

  // Closing or reloading the tab with unsaved edits asks first.
  #beforeUnload = (e) => {
    if (this.#dirty()) e.preventDefault();
  };

  connectedCallback() {
    super.connectedCallback();
    addEventListener("beforeunload", this.#beforeUnload);
    this.load();
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    removeEventListener("beforeunload", this.#beforeUnload);
    clearTimeout(this.#timer);
  }

  /** After a reconnect (a restart the save caused): reload unless there are unsaved edits. */
  onConnected() {
    if (!this.#dirty()) this.load({ keepSaved: true });
  }

  get #editor() {
    return this.querySelector("textarea");
  }

  #dirty() {
    const ed = this.#editor;
    return !!ed && ed.value !== this.#loaded;
  }

  async load({ keepSaved = false } = {}) {
    clearTimeout(this.#timer);
    try {
      const res = await gw.request("config.get", {});
      const text = res.raw ?? "{\n}\n";
      this.#hash = res.hash;
      this.#loaded = text;
      this._file = res;
      if (this.#editor) this.#editor.value = text;
      this._check = res.valid
        ? undefined
        : { valid: false, issues: res.issues, changes: [], stale: false };
      this._conflict = false;
      this._error = "";
      if (!keepSaved) this._saved = undefined;
      this._note = res.exists
        ? `Editing ${res.path}`
        : `${res.path} does not exist yet: saving creates it`;
    } catch (err) {
      this._error = `Config failed to load: ${err.message}`;
    }
  }

  /** Asks the gateway what it thinks of `raw`; the newest answer wins. */
  async check(raw = this.#editor?.value ?? "") {
    clearTimeout(this.#timer);
    const seq = ++this.#checkSeq;
    const v = await gw.request("config.validate", { raw, baseHash: this.#hash });
    if (seq === this.#checkSeq) this._check = v;
    return v;
  }

  #changed() {
    this._saved = undefined;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.check().catch(() => {}), CHECK_DELAY_MS);
  }

  async save() {
    const raw = this.#editor.value;
    if (raw.length > MAX_CHARS) {
      this._error =
        `The file is too large to save here (${raw.length} characters; at most ${MAX_CHARS})`;
      return;
    }
    this._busy = true;
    this._error = "";
    this._saved = undefined;
    try {
      const v = await this.check(raw);
      if (!v.valid) return;
      if (raw === this.#loaded) {
        this._note = "Nothing to save: the text is as loaded";
        return;
      }
      const res = await gw.request("config.set", { raw, baseHash: this.#hash });
      this.#hash = res.hash;
      this.#loaded = raw;
      this._saved = v;
      this._check = undefined;
      this._note = `Saved ${res.path}`;
    } catch (err) {
      if (CONFLICT.test(err.message ?? "")) this._conflict = true;
      else this._error = `Not saved: ${err.message}`;
      this._note = "Not saved";
    } finally {
      this._busy = false;
    }
  }

  /** Moves the caret to `line` (1-based) and `column` and focuses the editor. */
  goTo(line, column = 1) {
    const ed = this.#editor;
    const lines = ed.value.split("\n");
    let at = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) at += lines[i].length + 1;
    const len = lines[line - 1]?.length ?? 0;
    ed.focus();
    ed.setSelectionRange(at + Math.min(column - 1, len), at + len);
  }

  #conflictView() {
    if (!this._conflict) return null;
    return html`
      <div class="config-conflict" role="alert" data-testid="config-conflict">
        <h2>Not saved: the file changed on disk</h2>
        <p>
              Someone (or something) changed the config file after this page loaded it, so saving
              would overwrite their change. Reload to get the current file, redo your edit, and
              save again.
            </p>
        <button type="button" @click=${() =>
          this.load()}>Reload the file (drops your edits)</button>
      </div>
    `;
  }

  render() {
    const c = this._check;
    const goTo = (line, col) => this.goTo(line, col);
    return html`
      <div class="page-head">
        <h1>Config</h1>
        <button type="button" @click=${() => this.load()}>Reload</button>
      </div>
      <p role="status" class="muted" data-testid="config-note">${this._note}</p>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : null}
      ${this.#conflictView()}
      ${c?.stale && !this._conflict
        ? html`<p class="warn" role="status">
          The file changed on disk since this page loaded it; saving will be refused. Reload first.
        </p>`
        : null}
      <p class="muted hint">
        JSON5 (comments and trailing commas are fine). Secrets show as <code>${MASK}</code>:
        leave that text as it is to keep the stored value, or type a new value to replace it.
      </p>
      <label class="config-editor">
        <span>Config file</span>
        <textarea spellcheck="false" autocapitalize="off" autocomplete="off" rows="24"
          maxlength=${MAX_CHARS} aria-describedby="config-help"
          .value=${this.#loaded} @input=${() => this.#changed()}
          ?disabled=${this._file === undefined}></textarea>
      </label>
      <p id="config-help" class="muted hint">
        Checked as you type; nothing is written until you press Save.
      </p>
      <div class="row-buttons">
        <button type="button" class="primary" ?disabled=${this._busy || !this._file}
          @click=${() => this.save()}>Save</button>
        <button type="button" ?disabled=${this._busy || !this._file}
          @click=${() => this.check().catch((e) => (this._error = e.message))}>Check</button>
      </div>
      ${c && !c.valid ? issuesView(c.issues, c.message, goTo) : null}
      ${this._saved
        ? html`<div role="status" class="config-saved" data-testid="config-saved">
          <p><strong>Saved.</strong></p>
          ${changesView(this._saved, "What the save did")}
        </div>`
        : c?.valid && !c.stale && !this._conflict && this.#dirty()
        ? changesView(c)
        : null}
    `;
  }
}

customElements.define("oc-config", Config);
