// Channels: every configured channel and account from `channels.status`
// (running, connected, linked identity, last traffic, last error), linking
// and logging out WhatsApp, and the pending DM pairing requests. Re-read on
// each `health` event (the gateway pushes one when a connection changes) and
// every 10 s.

import { html } from "lit";
import { gw } from "../gateway.js";
import { ago, DataElement } from "../lib.js";
import "../widgets/confirm_button.js";
import "../widgets/dm_requests.js";
import "../widgets/whatsapp_link.js";

const LABELS = { whatsapp: "WhatsApp", telegram: "Telegram" };

const STATE_TEXT = {
  open: "connected",
  not_linked: "not linked",
  logged_out: "logged out",
  waiting_qr: "waiting for scan",
  gave_up: "gave up reconnecting",
};

/** The badge of one account: what a user wants to know first. */
function stateOf(acc) {
  if (!acc.enabled) return { text: "disabled", tone: "off" };
  if (acc.connected) return { text: "connected", tone: "ok" };
  const raw = acc.connection ?? acc.state;
  const text = STATE_TEXT[raw] ?? String(raw ?? "stopped").replaceAll("_", " ");
  return { text, tone: acc.running ? "warn" : "off" };
}

/** "@bot (id 123)" / "+15550001111" / "" for the identity the account runs as. */
function identityOf(acc) {
  const bot = acc.bot ?? acc.probe?.bot;
  if (!bot) return "";
  return bot.username ? `@${bot.username} (id ${bot.id})` : bot.id;
}

class Channels extends DataElement {
  static properties = { _status: { state: true } };
  // Traffic sends no health event: re-read every 10 s so "last in / out" stay true.
  pollMs = 10_000;

  constructor() {
    super();
    this._status = undefined;
  }

  onGatewayEvent(f) {
    // Health comes every few seconds and on each connection change: one read per burst.
    if (f.event === "health") this.reloadSoon(300);
  }

  async load() {
    try {
      this._status = await gw.request("channels.status", { probe: false, timeoutMs: 8000 });
      this._error = "";
    } catch (err) {
      this._error = `Channel status unavailable: ${err.message}`;
    }
  }

  #logout(channel, accountId) {
    return this.act(
      `${channel}/${accountId}`,
      async () => (await gw.request("channels.logout", { channel, accountId })).message,
      (err) => `Log out failed: ${err.message}`,
    );
  }

  #account(channel, acc) {
    const st = stateOf(acc);
    const id = identityOf(acc);
    const key = `${channel}/${acc.accountId}`;
    const whatsapp = channel === "whatsapp";
    const rows = [
      ["Running", acc.running ? "yes" : "no"],
      ...(acc.mode ? [["Mode", acc.mode]] : []),
      ...(whatsapp ? [["Linked", acc.linked ? "yes" : "no"]] : []),
      ...(id ? [[whatsapp ? "Linked as" : "Bot", id]] : []),
      ["Last in", ago(acc.lastInboundAt)],
      ["Last out", ago(acc.lastOutboundAt)],
      ...(acc.reconnectAttempts ? [["Reconnects", String(acc.reconnectAttempts)]] : []),
    ];
    return html`<li class="card" data-account=${key}>
      <div class="card-head">
        <strong>${acc.accountId}</strong>
        <span class="badge" data-tone=${st.tone}>${st.text}</span>
      </div>
      <dl class="facts">${
      rows.map(([k, v]) =>
        html`
          <dt>${k}</dt>
          <dd>${v}</dd>
        `
      )
    }</dl>
      ${acc.lastError ? html`<p class="error">Last error: ${acc.lastError}</p>` : null}
      ${
      whatsapp
        ? html`<div class="actions">${
          acc.linked
            ? html`
              <oc-confirm-button label="Log out" yes="Log out"
                question=${`Unlink WhatsApp account ${acc.accountId} and delete its credentials?`}
                ?busy=${this._busy === key}
                @confirm=${() => this.#logout(channel, acc.accountId)}></oc-confirm-button>
            `
            : html`<oc-whatsapp-link account-id=${acc.accountId} @linked=${(e) => {
              this._note = `WhatsApp: ${e.detail.message}`;
              this.refresh();
            }}></oc-whatsapp-link>`
        }</div>`
        : null
    }
    </li>`;
  }

  #channel(name, ch) {
    const tone = ch.connected ? "ok" : ch.running ? "warn" : "off";
    const text = ch.connected ? "connected" : ch.running ? "running" : "stopped";
    return html`<section class="channel" aria-labelledby=${`ch-${name}`}>
      <div class="card-head">
        <h2 id=${`ch-${name}`}>${LABELS[name] ?? name}</h2>
        <span class="badge" data-tone=${tone}>${text}</span>
      </div>
      ${
      ch.lastError && !ch.accounts.some((a) => a.lastError === ch.lastError)
        ? html`<p class="error">${ch.lastError}</p>`
        : null
    }
      <ul class="cards" aria-label=${`${LABELS[name] ?? name} accounts`}>${
      ch.accounts.map((a) => this.#account(name, a))
    }</ul>
    </section>`;
  }

  render() {
    const s = this._status;
    const order = s ? s.channelOrder.filter((c) => s.channels[c]) : [];
    return html`
      <div class="page-head">
        <h1>Channels</h1>
        <button type="button" @click=${() => this.refresh()}>Refresh</button>
      </div>
      ${s ? html`<p class="muted">Updated ${ago(s.ts)}.</p>` : null}
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : null}
      <p role="status" class="note" data-testid="channels-note">${this._note}</p>
      ${!s && !this._error ? html`<p role="status">Loading…</p>` : null}
      ${s && order.length === 0
        ? html`<p class="muted">No channels configured. Add <code>channels.telegram</code> or
            <code>channels.whatsapp</code> to the config, then come back here.</p>`
        : null}
      ${order.map((c) => this.#channel(c, s.channels[c]))}
      <oc-dm-requests></oc-dm-requests>
    `;
  }
}

customElements.define("oc-channels", Channels);
