// Sessions: `sessions.list` as a table (key, title, kind/channel, tokens,
// model, last activity) with per-row open in chat, reset, compact and delete
// (confirmed first). Follows `sessions.changed` events.

import { html } from "lit";
import { gw } from "../gateway.js";
import { ago, count, DataElement } from "../lib.js";
import { href } from "../router.js";

/** The chat page's address with `key` selected (`/chat?session=<key>`). */
export function chatHref(key) {
  return `${href("chat")}?session=${encodeURIComponent(key)}`;
}

function modelOf(row, defaults) {
  if (row.providerOverride && row.modelOverride) {
    return `${row.providerOverride}/${row.modelOverride}`;
  }
  if (defaults?.model) {
    return `${
      defaults.modelProvider ? `${defaults.modelProvider}/` : ""
    }${defaults.model} (default)`;
  }
  return "–";
}

class Sessions extends DataElement {
  static properties = {
    _rows: { state: true },
    _defaults: { state: true },
    _count: { state: true },
    _confirm: { state: true },
  };

  constructor() {
    super();
    this._rows = undefined;
    this._defaults = undefined;
    this._count = "";
    this._confirm = "";
  }

  onGatewayEvent(f) {
    // A burst of changes (a turn, a reset) reloads once.
    if (f.event === "sessions.changed") this.reloadSoon(250);
  }

  async load() {
    try {
      const res = await gw.request("sessions.list", { limit: 200 });
      this._rows = res.sessions ?? [];
      this._defaults = res.defaults;
      const more = res.hasMore ? ` (the newest ${res.count} of ${res.totalCount} shown)` : "";
      this._count = `${res.totalCount ?? this._rows.length} sessions${more}`;
    } catch (err) {
      this._error = `Sessions failed to load: ${err.message}`;
    }
  }

  #act(key, method, done) {
    return this.act(
      key,
      async () => done(await gw.request(method, { key })),
      (err) => `${method} failed for ${key}: ${err.message}`,
    );
  }

  #reset(key) {
    this.#act(key, "sessions.reset", () => `Reset ${key}: it starts fresh`);
  }

  #compact(key) {
    this.#act(
      key,
      "sessions.compact",
      (r) =>
        r.compacted ? `Compacted ${key}` : `${key} not compacted: ${r.reason ?? "nothing to do"}`,
    );
  }

  #askDelete(key) {
    this._confirm = key;
    this.updateComplete.then(() => this.querySelector("[data-confirm-delete]")?.focus());
  }

  /** Closes the confirm step; focus goes back to that row's Delete button. */
  #cancelDelete(key) {
    this._confirm = "";
    this.updateComplete.then(() =>
      this.querySelector(`tr[data-key="${CSS.escape(key)}"] [data-delete]`)?.focus()
    );
  }

  #delete(key) {
    this._confirm = "";
    this.#act(
      key,
      "sessions.delete",
      (r) => r.deleted ? `Deleted ${key}` : `${key} was already gone`,
    );
  }

  #open(e, key) {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
    e.preventDefault();
    history.pushState(null, "", chatHref(key));
    dispatchEvent(new Event("route"));
  }

  #actions(r) {
    const busy = this._busy === r.key;
    if (this._confirm === r.key) {
      return html`
        <div class="confirm" role="group" aria-label=${`Confirm delete of ${r.key}`}
          @keydown=${(e) => e.key === "Escape" && this.#cancelDelete(r.key)}>
          <span>Delete ${r.key} and its transcript?</span>
          <button type="button" class="danger" data-confirm-delete @click=${() =>
            this.#delete(r.key)}>Yes, delete</button>
          <button type="button" @click=${() => this.#cancelDelete(r.key)}>Cancel</button>
        </div>
      `;
    }
    return html`
      <div class="actions">
        <a href=${chatHref(r.key)} @click=${(e) => this.#open(e, r.key)}
          aria-label=${`Open ${r.key} in chat`}>Open in chat</a>
        <button type="button" ?disabled=${busy} @click=${() => this.#reset(r.key)}
          aria-label=${`Reset ${r.key}`}>Reset</button>
        <button type="button" ?disabled=${busy} @click=${() => this.#compact(r.key)}
          aria-label=${`Compact ${r.key}`}>Compact</button>
        <button type="button" data-delete ?disabled=${busy} @click=${() => this.#askDelete(r.key)}
          aria-label=${`Delete ${r.key}`}>Delete</button>
      </div>
    `;
  }

  #row(r) {
    const title = r.label || r.displayName || r.lastMessagePreview || "";
    const channel = r.lastChannel ? ` · ${r.lastChannel}` : "";
    return html`
      <tr data-key=${r.key}>
        <td data-label="Session"><code>${r.key}</code>${r.isMain
          ? html`
            <span class="badge">main</span>
          `
          : null}${title ? html`<div class="muted">${title}</div>` : null}</td>
        <td data-label="Kind">${r.kind ?? "–"}${channel}</td>
        <td data-label="Tokens" class="num">
          <span title="input / output / total">${count(r.inputTokens ?? 0)} in / ${count(
            r.outputTokens ?? 0,
          )} out / ${count(r.totalTokens ?? 0)}</span>
        </td>
        <td data-label="Model">${modelOf(r, this._defaults)}</td>
        <td data-label="Last activity" title=${new Date(r.updatedAt).toLocaleString()}>${ago(
          r.updatedAt,
        )}</td>
        <td data-label="Actions">${this.#actions(r)}</td>
      </tr>
    `;
  }

  render() {
    return html`
      <div class="page-head">
        <h1>Sessions</h1>
        <button type="button" @click=${() => this.refresh()}>Refresh</button>
      </div>
      <p class="muted" data-testid="sessions-count">${this._rows === undefined
        ? "Loading…"
        : this._count}</p>
      <p role="status" class="note" data-testid="sessions-note">${this._note}</p>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : null}
      ${this._rows?.length === 0 ? html`<p>No sessions yet: start one in Chat.</p>` : null}
      ${this._rows?.length
        ? html`
          <table class="table cards" aria-label="Sessions">
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Kind</th>
                <th scope="col">Tokens</th>
                <th scope="col">Model</th>
                <th scope="col">Last activity</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>${this._rows.map((r) => this.#row(r))}</tbody>
          </table>
        `
        : null}
    `;
  }
}

customElements.define("oc-sessions", Sessions);
