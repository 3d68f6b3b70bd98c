// Linking a WhatsApp account from the browser: `web.login.start` answers with
// the QR as a PNG data URL; `web.login.wait` (5 s at a time) until the phone
// scanned it. Between waits `web.login.start` is asked again: while linking
// runs it answers with the current QR, so the image follows the codes
// WhatsApp rotates (every 20 s) within a few seconds. After 3 minutes the
// page stops asking and offers to try again.

import { html } from "lit";
import { gw } from "../gateway.js";
import { GwElement } from "../lib.js";

const WAIT_MS = 5000;
const GIVE_UP_MS = 180_000;

/**
 * `<oc-whatsapp-link account-id="default">`: the "Link WhatsApp" button, the
 * QR, then "Linked as …". Fires `linked` (bubbling) once the phone linked.
 */
export class WhatsAppLink extends GwElement {
  static properties = {
    accountId: { attribute: "account-id" },
    _state: { state: true },
    _qr: { state: true },
    _message: { state: true },
  };
  #run = 0;

  constructor() {
    super();
    this.accountId = "default";
    /** idle | starting | qr | linked | failed */
    this._state = "idle";
    this._qr = "";
    this._message = "";
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.#run++; // a page left behind stops asking
  }

  async start() {
    const run = ++this.#run;
    const live = () => run === this.#run && this.isConnected;
    const params = { accountId: this.accountId };
    const until = Date.now() + GIVE_UP_MS;
    this._state = "starting";
    this._message = "Asking WhatsApp for a QR code…";
    try {
      while (live()) {
        const started = await gw.request("web.login.start", { ...params, timeoutMs: 25_000 });
        if (!live()) return;
        if (!started.qrDataUrl) {
          const linked = /already linked/i.test(started.message);
          this.#end(linked ? "linked" : "failed", started.message);
          return;
        }
        this._qr = started.qrDataUrl;
        this._state = "qr";
        this._message = started.message;
        const waited = await gw.request("web.login.wait", { ...params, timeoutMs: WAIT_MS });
        if (!live()) return;
        if (waited.connected) return this.#end("linked", waited.message);
        if (Date.now() > until) {
          return this.#end("failed", "The QR code expired before it was scanned; try again");
        }
        // A pause so a link that fails at once does not spin.
        await new Promise((r) => setTimeout(r, 500));
      }
    } catch (err) {
      if (live()) this.#end("failed", `Linking failed: ${err.message}`);
    }
  }

  cancel() {
    this.#run++;
    this._state = "idle";
    this._qr = "";
    this._message = "";
  }

  #end(state, message) {
    this._state = state;
    this._message = message;
    this._qr = "";
    if (state === "linked") {
      this.dispatchEvent(new CustomEvent("linked", { bubbles: true, detail: { message } }));
    }
  }

  render() {
    const s = this._state;
    if (s === "idle") {
      return html`<button type="button" @click=${() => this.start()}>Link WhatsApp</button>`;
    }
    return html`
      <div class="wa-link" data-state=${s}>
        ${s === "qr"
          ? html`<img class="qr" src=${this._qr} alt="WhatsApp QR code" width="240" height="240">`
          : null}
        <p role="status" class=${s === "failed" ? "error" : ""}>${this._message}</p>
        ${s === "qr" ? html`<p class="muted">The code refreshes as WhatsApp rotates it.</p>` : null}
        ${s === "starting" || s === "qr"
          ? html`<button type="button" @click=${() => this.cancel()}>Cancel</button>`
          : s === "failed"
          ? html`<button type="button" @click=${() => this.start()}>Try again</button>`
          : null}
      </div>
    `;
  }
}

customElements.define("oc-whatsapp-link", WhatsAppLink);
