// DM pairing requests: an unknown sender who messages a channel gets a code
// (spec channels.md §2) and waits here until the owner approves or dismisses
// it. The gateway sends no event for a new request, so the list is re-read
// every 5 s while it is on screen.

import { html } from "lit";
import { gw } from "../gateway.js";
import { ago, DataElement } from "../lib.js";

const POLL_MS = 5000;

/** `<oc-dm-requests>`: pending `channels.pairing.list` rows with approve / dismiss. */
export class DmRequests extends DataElement {
  static properties = { _requests: { state: true } };
  pollMs = POLL_MS;

  constructor() {
    super();
    this._requests = undefined;
  }

  async load() {
    try {
      const res = await gw.request("channels.pairing.list", {});
      this._requests = res.requests ?? [];
      this._error = "";
    } catch (err) {
      this._error = `DM requests unavailable: ${err.message}`;
    }
  }

  #act(r, method) {
    const approve = method === "channels.pairing.approve";
    return this.act(r.code, async () => {
      const params = { channel: r.channel, code: r.code };
      // The sender is told they may talk now (the CLI's --notify).
      if (approve) Object.assign(params, { accountId: r.accountId, notify: true });
      await gw.request(method, params);
      return approve
        ? `Approved ${who(r)}: they can talk to the assistant now`
        : `Dismissed the request from ${who(r)}`;
    });
  }

  render() {
    const list = this._requests;
    return html`
      <h2 id="dm-requests">DM access requests</h2>
      <p class="muted">Unknown senders get a pairing code; approve them here. Requests expire after
        1 hour, at most 3 wait per channel.</p>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : null}
      <p role="status" class="note">${this._note}</p>
      ${list === undefined
        ? html`<p role="status">Loading…</p>`
        : list.length === 0
        ? html`<p class="muted">No pending requests.</p>`
        : html`<ul class="cards" aria-labelledby="dm-requests">${
          list.map((r) =>
            html`
              <li class="card" data-code=${r.code}>
                <div class="card-head">
                  <strong>${who(r)}</strong>
                  <span class="badge">${r.channel}${r.accountId !== "default"
                    ? ` · ${r.accountId}`
                    : ""}</span>
                </div>
                <p class="muted">${r.senderId} · code <code>${r.code}</code> · asked ${ago(
                  r.createdAt,
                )}</p>
                <div class="actions">
                  <button type="button" ?disabled=${this._busy === r.code}
                    @click=${() => this.#act(r, "channels.pairing.approve")}>Approve</button>
                  <button type="button" ?disabled=${this._busy === r.code}
                    @click=${() => this.#act(r, "channels.pairing.dismiss")}>Dismiss</button>
                </div>
              </li>
            `
          )
        }</ul>`}
    `;
  }
}

/** "Bob (@bob)" or the sender id. */
function who(r) {
  const name = r.meta?.name ?? "";
  const user = r.meta?.username ? `@${r.meta.username}` : "";
  if (name && user) return `${name} (${user})`;
  return name || user || r.senderId;
}

customElements.define("oc-dm-requests", DmRequests);
