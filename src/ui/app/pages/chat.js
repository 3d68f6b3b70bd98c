// Chat: session picker, history, a streamed reply, tool calls as they run,
// abort, exec approvals answered inline, and the slash commands (/new, /status).

import { html, nothing } from "lit";
import { gw, randomId } from "../gateway.js";
import { GwElement, textOf } from "../lib.js";
import { approvalCard } from "../widgets/approval_card.js";

/** `/new` and `/reset` (optionally with a model): the gateway starts the session over. */
const RESET_COMMAND = /^\/(new|reset)(\s|$)/i;

/** Transcript messages -> rows: text bubbles and tool cards. */
function rowsOf(messages) {
  const rows = [];
  for (const m of messages ?? []) {
    if (m.role === "toolResult") {
      const card = rows.findLast((r) => r.kind === "tool" && r.id === m.toolCallId);
      if (card) Object.assign(card, { done: true, isError: m.isError, output: textOf(m) });
      continue;
    }
    const text = textOf(m);
    if (text) rows.push({ kind: "msg", role: m.role, text, done: "final" });
    if (Array.isArray(m.content)) {
      for (const p of m.content) {
        if (p.type === "toolCall") {
          rows.push({ kind: "tool", id: p.id, name: p.name, args: p.arguments, done: true });
        }
      }
    }
  }
  return rows;
}

class Chat extends GwElement {
  static properties = {
    _session: { state: true },
    _sessions: { state: true },
    _rows: { state: true },
    _approvals: { state: true },
    _running: { state: true },
    _error: { state: true },
  };
  #runId;
  #live;
  #resets = false;
  #clock;

  constructor() {
    super();
    // `/chat?session=<key>` (the sessions page's "Open in chat") picks the session.
    this._session = new URLSearchParams(location.search).get("session")?.slice(0, 512) || "main";
    this._sessions = [];
    this._rows = [];
    this._approvals = [];
    this._running = false;
    this._error = "";
  }

  connectedCallback() {
    super.connectedCallback();
    this.load();
  }

  onConnected() {
    this.load();
  }

  async load() {
    try {
      const list = await gw.request("sessions.list", { limit: 200 });
      this._sessions = (list.sessions ?? []).map((s) => s.key);
    } catch { /* the picker keeps what it had */ }
    try {
      const session = this._session;
      const hist = await gw.request("chat.history", { sessionKey: session, limit: 100 });
      // A reply that started meanwhile (or another session picked) keeps the screen.
      if (this.#live || session !== this._session) return;
      // The gateway answers with the canonical key ("third" -> "agent:main:third"):
      // the picker then lists the session once, under the name the list uses.
      if (typeof hist.sessionKey === "string" && hist.sessionKey !== session) {
        this._session = hist.sessionKey;
        const url = new URL(location.href);
        if (url.searchParams.has("session")) {
          url.searchParams.set("session", hist.sessionKey);
          history.replaceState(history.state, "", url);
        }
      }
      this._rows = rowsOf(hist.messages);
      this._error = "";
    } catch (err) {
      this._error = `History failed: ${err.message}`;
    }
  }

  async send() {
    const input = this.querySelector("textarea");
    const message = input.value.trim();
    if (!message) return;
    input.value = "";
    this.#resets = RESET_COMMAND.test(message);
    this.#live = { kind: "msg", role: "assistant", text: "", done: undefined };
    this._rows = [
      ...this._rows,
      { kind: "msg", role: "user", text: message, done: "final" },
      this
        .#live,
    ];
    this.#runId = undefined;
    this._running = true;
    try {
      const res = await gw.request("chat.send", {
        sessionKey: this._session,
        message,
        idempotencyKey: randomId(),
      });
      this.#runId = res?.runId;
    } catch (err) {
      this.#finish("error", `Error: ${err.message}`);
    }
  }

  abort() {
    gw.request("chat.abort", {
      sessionKey: this._session,
      ...(this.#runId ? { runId: this.#runId } : {}),
    }).catch(() => {});
  }

  #finish(state, text) {
    if (!this.#live) return;
    if (text !== undefined) this.#live.text = text;
    this.#live.done = state;
    const live = this.#live;
    this.#live = undefined;
    this._running = false;
    // After /new or /reset the old turns are gone: show the reset and its reply only.
    this._rows = state === "final" && this.#resets
      ? [{ kind: "divider", text: "Session reset" }, live]
      : [...this._rows];
    this.#resets = false;
  }

  #mine(p) {
    return this.#live && (!this.#runId || !p.runId || p.runId === this.#runId);
  }

  onGatewayEvent(f) {
    const p = f.payload ?? {};
    if (f.event === "chat" && this.#mine(p)) {
      if (p.state === "delta" || p.state === "final") {
        this.#live.text = textOf(p.message) || this.#live.text;
        this._rows = [...this._rows];
      }
      if (p.state === "final") this.#finish("final");
      if (p.state === "aborted") this.#finish("aborted", `${this.#live.text} [aborted]`);
      if (p.state === "error") {
        this.#finish("error", `${this.#live.text} [error: ${p.errorMessage ?? "failed"}]`);
      }
    } else if (f.event === "agent" && p.stream === "tool" && this.#mine(p)) {
      this.#tool(p.data ?? {});
    } else if (f.event === "exec.approval.requested") {
      if (!this._approvals.some((a) => a.id === p.id)) {
        this._approvals = [...this._approvals, p];
        // Keyboard and screen reader users land on the prompt (not on a
        // button: a stray Enter must not answer it).
        this.updateComplete.then(() =>
          this.querySelector(`[data-approval="${CSS.escape(String(p.id))}"]`)?.focus()
        );
      }
      this.#tick();
    } else if (f.event === "exec.approval.resolved") {
      this._approvals = this._approvals.filter((a) => a.id !== p.id);
    }
  }

  /** Re-renders once a second while a prompt shows (its expiry counts down). */
  #tick() {
    clearInterval(this.#clock);
    this.#clock = setInterval(() => {
      this._approvals = this._approvals.filter((a) => !a.expiresAtMs || a.expiresAtMs > Date.now());
      if (!this._approvals.length || !this.isConnected) clearInterval(this.#clock);
    }, 1000);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this.#clock);
  }

  #tool(d) {
    let card = this._rows.find((r) => r.kind === "tool" && r.id === d.toolCallId);
    if (!card) {
      card = { kind: "tool", id: d.toolCallId, name: d.name, args: d.args, done: false };
      // The tool card goes before the live reply's bubble, which keeps streaming.
      const at = this._rows.indexOf(this.#live);
      this._rows = at < 0
        ? [...this._rows, card]
        : [...this._rows.slice(0, at), card, ...this._rows.slice(at)];
    }
    if (d.phase === "update") card.output = textOf({ content: d.partialResult?.content });
    if (d.phase === "result") {
      Object.assign(card, {
        done: true,
        isError: d.isError,
        output: textOf({ content: d.result?.content }),
      });
    }
    this._rows = [...this._rows];
  }

  #decide(a, decision) {
    this._approvals = this._approvals.filter((x) => x.id !== a.id);
    // Focus was on the prompt's button, now gone: back to the next prompt or the message box.
    this.updateComplete.then(() =>
      this.querySelector("[data-approval], textarea[aria-label='Message']")?.focus()
    );
    gw.request("exec.approval.resolve", { id: a.id, decision }).catch((err) => {
      this._error = `Approval failed: ${err.message}`;
    });
  }

  updated() {
    const box = this.querySelector(".msgs");
    if (box) box.scrollTop = box.scrollHeight;
  }

  #row(r) {
    if (r.kind === "divider") return html`<p class="divider" role="separator">${r.text}</p>`;
    if (r.kind === "tool") {
      const state = r.done ? (r.isError ? "error" : "done") : "running";
      const command = typeof r.args?.command === "string" ? r.args.command : undefined;
      return html`
        <details class="tool" data-tool=${r.name} data-state=${state}
          ?open=${r.name === "exec"}>
                <summary>${{ running: "…", done: "✓", error: "✗" }[state]} ${r.name}${command
                  ? html`: <code>${command.slice(0, 120)}</code>`
                  : null} <span class="muted">${state}</span></summary>
                ${command ? null : html`<pre>${JSON.stringify(r.args ?? {}, null, 2)}</pre>`}
                ${r.output ? html`<pre class="tool-output">${r.output}</pre>` : null}
              </details>
      `;
    }
    return html`<div class="msg ${r.role}" data-role=${r.role} data-done=${
      r.done ??
        nothing
    }>${r.text}</div>`;
  }

  render() {
    const sessions = this._sessions.includes(this._session)
      ? this._sessions
      : [this._session, ...this._sessions];
    return html`
      <h1 class="sr-only">Chat</h1>
      <div class="chat-session">
        <label for="chat-session">Session</label>
        <select id="chat-session" @change=${(e) => {
          this._session = e.target.value;
          this.load();
        }}>
          ${sessions.map((k) =>
            html`<option .value=${k} ?selected=${k === this._session}>${k}</option>`
          )}
        </select>
      </div>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : null}
      <div class="msgs" role="log" aria-label="Conversation" aria-live="polite" data-testid="messages">${this
        ._rows.map((r) => this.#row(r))}</div>
      ${this._approvals.map((a) => approvalCard(a, (d) => this.#decide(a, d)))}
      <form class="row" @submit=${(e) => (e.preventDefault(), this.send())}>
        <textarea aria-label="Message" maxlength="100000"
          placeholder="Message (Enter sends, Shift+Enter new line; /new, /status)"
          @keydown=${(e) => {
            if (e.key === "Enter" && !e.shiftKey) (e.preventDefault(), this.send());
          }}></textarea>
        <button type="submit">Send</button>
        <button type="button" @click=${() => this.abort()} ?disabled=${!this
          ._running}>Abort</button>
      </form>
    `;
  }
}

customElements.define("oc-chat", Chat);
