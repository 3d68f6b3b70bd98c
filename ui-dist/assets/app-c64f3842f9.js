// OpenClaw control UI: plain web components, no framework, no inline script
// (the page runs under a strict CSP). Talks to the gateway over the same
// origin's WebSocket as client "openclaw-control-ui".

const VERSION = "0.1.0";
const SCOPES = [
  "operator.admin",
  "operator.read",
  "operator.write",
  "operator.approvals",
  "operator.pairing",
];
const wsUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/`;
const TOKEN_KEY = `openclaw.control.token.v1:${wsUrl}`;
const REQ_TIMEOUT_MS = 30_000;

/** Takes `#token=` (or legacy `?token=`) out of the address bar into sessionStorage. */
function consumeUrlToken() {
  const url = new URL(location.href);
  const frag = new URLSearchParams(url.hash.slice(1));
  const token = frag.get("token") ?? url.searchParams.get("token");
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token.slice(0, 4096));
  frag.delete("token");
  url.searchParams.delete("token");
  const rest = frag.toString();
  history.replaceState(null, "", url.pathname + url.search + (rest ? `#${rest}` : ""));
}

/** One gateway connection with request/response matching and auto reconnect. */
class Gateway extends EventTarget {
  #ws;
  #pending = new Map();
  #seq = 0;
  #backoff = 800;
  #timer;
  state = "idle";
  error = "";
  hello;

  start() {
    clearTimeout(this.#timer);
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) return this.#set("signed-out", "");
    this.#set("connecting", "");
    const ws = new WebSocket(wsUrl);
    this.#ws = ws;
    ws.onmessage = (e) => this.#frame(ws, token, e.data);
    ws.onclose = (e) => {
      if (this.#ws !== ws) return;
      for (const p of this.#pending.values()) p.reject(new Error("Connection closed"));
      this.#pending.clear();
      if (this.state === "auth-failed" || this.state === "signed-out") return;
      const why = e.code === 1008 ? `rejected (${e.reason || "policy"})` : "gateway gone";
      this.#set("reconnecting", `Disconnected: ${why}; retrying in ${this.#backoff} ms`);
      this.#timer = setTimeout(() => this.start(), this.#backoff);
      this.#backoff = Math.min(this.#backoff * 2, 15_000);
    };
  }

  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    this.#set("signed-out", "");
    this.#ws?.close();
  }

  #set(state, error) {
    this.state = state;
    this.error = error;
    this.dispatchEvent(new Event("state"));
  }

  #frame(ws, token, data) {
    let f;
    try {
      f = JSON.parse(String(data));
    } catch {
      return;
    }
    if (f.type === "event" && f.event === "connect.challenge") {
      this.request("connect", {
        minProtocol: 3,
        maxProtocol: 4,
        client: {
          id: "openclaw-control-ui",
          version: VERSION,
          platform: navigator.platform || "web",
          mode: "webchat",
        },
        role: "operator",
        scopes: SCOPES,
        caps: ["tool-events"],
        auth: { token },
      }, ws).then((hello) => {
        this.hello = hello;
        this.#backoff = 800;
        this.#set("connected", "");
      }, (err) => {
        const code = err.code ?? "";
        const msg = code === "RATE_LIMITED" || /rate/i.test(err.message)
          ? `Too many attempts: ${err.message}`
          : `Sign-in failed: ${err.message}`;
        if (code !== "RATE_LIMITED") sessionStorage.removeItem(TOKEN_KEY);
        this.#set("auth-failed", msg);
        ws.close();
      });
    } else if (f.type === "res") {
      const p = this.#pending.get(f.id);
      if (!p) return;
      this.#pending.delete(f.id);
      if (f.ok) p.resolve(f.payload);
      else p.reject(Object.assign(new Error(f.error?.message ?? "Request failed"), f.error));
    } else if (f.type === "event") {
      this.dispatchEvent(new CustomEvent("gw-event", { detail: f }));
    }
  }

  /** Sends one request; rejects on error, close or after 30 s. */
  request(method, params = {}, ws = this.#ws) {
    return new Promise((resolve, reject) => {
      if (!ws || ws.readyState !== WebSocket.OPEN) return reject(new Error("Not connected"));
      const id = `ui-${++this.#seq}`;
      const t = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${method} timed out`));
      }, REQ_TIMEOUT_MS);
      this.#pending.set(id, {
        resolve: (v) => (clearTimeout(t), resolve(v)),
        reject: (e) => (clearTimeout(t), reject(e)),
      });
      ws.send(JSON.stringify({ type: "req", id, method, params }));
    });
  }
}

const gw = new Gateway();

function h(tag, props = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== false) el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const k of kids.flat()) if (k != null) el.append(k);
  return el;
}

function textOf(message) {
  const c = message?.content;
  if (typeof c === "string") return c;
  if (Array.isArray(c)) return c.filter((p) => p.type === "text").map((p) => p.text).join("");
  return "";
}

/** Sign-in form (when no token is stored or it was refused). */
class SignIn extends HTMLElement {
  connectedCallback() {
    const input = h("input", {
      type: "password",
      name: "token",
      autocomplete: "current-password",
      "aria-label": "Gateway token",
      placeholder: "Gateway token",
      maxlength: 4096,
      required: true,
    });
    this.replaceChildren(
      h("h1", {}, "Sign in"),
      gw.error ? h("p", { class: "error", role: "alert" }, gw.error) : null,
      h(
        "form",
        {
          class: "row",
          onsubmit: (e) => {
            e.preventDefault();
            sessionStorage.setItem(TOKEN_KEY, input.value);
            gw.start();
          },
        },
        input,
        h("button", { type: "submit" }, "Connect"),
      ),
    );
    input.focus();
  }
}

/** Chat: session picker, history, streamed reply, abort, approvals. */
class Chat extends HTMLElement {
  #session = "main";
  #run;
  #live;
  #onEvent = (e) => this.#event(e.detail);

  connectedCallback() {
    gw.addEventListener("gw-event", this.#onEvent);
    this.msgs = h("div", { class: "msgs", "aria-live": "polite", "data-testid": "messages" });
    this.approvals = h("div");
    this.picker = h("select", {
      "aria-label": "Session",
      onchange: () => (this.#session = this.picker.value, this.load()),
    });
    this.input = h("textarea", {
      "aria-label": "Message",
      maxlength: 100_000,
      placeholder: "Message (Enter sends, Shift+Enter new line; /new, /status)",
      onkeydown: (e) => {
        if (e.key === "Enter" && !e.shiftKey) (e.preventDefault(), this.send());
      },
    });
    this.abortBtn = h(
      "button",
      { type: "button", onclick: () => this.abort(), disabled: true },
      "Abort",
    );
    this.replaceChildren(
      h("label", {}, "Session ", this.picker),
      this.msgs,
      this.approvals,
      h(
        "form",
        { class: "row", onsubmit: (e) => (e.preventDefault(), this.send()) },
        this.input,
        h("button", { type: "submit" }, "Send"),
        this.abortBtn,
      ),
    );
    this.load();
  }

  disconnectedCallback() {
    gw.removeEventListener("gw-event", this.#onEvent);
  }

  async load() {
    try {
      const list = await gw.request("sessions.list", {});
      const keys = (list.sessions ?? []).map((s) => s.key);
      if (!keys.includes(this.#session)) keys.unshift(this.#session);
      this.picker.replaceChildren(
        ...keys.map((k) => h("option", { value: k, selected: k === this.#session }, k)),
      );
    } catch { /* picker stays as is */ }
    try {
      const hist = await gw.request("chat.history", { sessionKey: this.#session, limit: 100 });
      this.msgs.replaceChildren(
        ...(hist.messages ?? []).map((m) => this.#bubble(m.role, textOf(m))),
      );
    } catch (err) {
      this.msgs.replaceChildren(h("p", { class: "error" }, `History failed: ${err.message}`));
    }
  }

  #bubble(role, text) {
    return h("div", { class: `msg ${role}`, "data-role": role }, text);
  }

  async send() {
    const message = this.input.value.trim();
    if (!message) return;
    this.input.value = "";
    this.msgs.append(this.#bubble("user", message));
    const live = this.#bubble("assistant", "");
    this.#live = live;
    this.#run = undefined;
    this.msgs.append(live);
    this.abortBtn.disabled = false;
    try {
      const res = await gw.request("chat.send", {
        sessionKey: this.#session,
        message,
        idempotencyKey: crypto.randomUUID(),
      });
      this.#run = res?.runId;
    } catch (err) {
      live.textContent = `Error: ${err.message}`;
      this.#live = undefined;
      this.abortBtn.disabled = true;
    }
  }

  abort() {
    gw.request("chat.abort", {
      sessionKey: this.#session,
      ...(this.#run ? { runId: this.#run } : {}),
    })
      .catch(() => {});
  }

  #event(f) {
    const p = f.payload ?? {};
    if (f.event === "chat") {
      if (!this.#live || (this.#run && p.runId && p.runId !== this.#run)) return;
      if (p.state === "delta" || p.state === "final") {
        this.#live.textContent = textOf(p.message) || this.#live.textContent;
      }
      if (p.state === "aborted") this.#live.textContent += " [aborted]";
      if (p.state === "error") this.#live.textContent += ` [error: ${p.errorMessage ?? "failed"}]`;
      if (["final", "aborted", "error"].includes(p.state)) {
        this.abortBtn.disabled = true;
        this.#live.dataset.done = p.state;
        this.#live = undefined;
      }
      this.msgs.scrollTop = this.msgs.scrollHeight;
    } else if (f.event === "exec.approval.requested") {
      const box = h(
        "div",
        { class: "msg", role: "alertdialog", "aria-label": "Exec approval" },
        `Run command? ${p.request?.command ?? p.command ?? ""} `,
        ...["allow-once", "allow-always", "deny"].map((d) =>
          h("button", {
            type: "button",
            onclick: () => {
              box.remove();
              gw.request("exec.approval.resolve", { id: p.id, decision: d }).catch(() => {});
            },
          }, d)
        ),
      );
      this.approvals.append(box);
    }
  }
}

/** Overview: health, status, presence. */
class Overview extends HTMLElement {
  async connectedCallback() {
    this.replaceChildren(h("p", {}, "Loading…"));
    const parts = [];
    for (const m of ["health", "status", "system-presence"]) {
      try {
        parts.push(h("h2", {}, m), h("pre", {}, JSON.stringify(await gw.request(m, {}), null, 2)));
      } catch (err) {
        parts.push(h("h2", {}, m), h("p", { class: "error" }, err.message));
      }
    }
    this.replaceChildren(...parts);
  }
}

/** Logs: `logs.tail` from a cursor, following every 2 s, last 2000 lines kept. */
class Logs extends HTMLElement {
  #timer;
  #cursor;
  #file;

  connectedCallback() {
    this.out = h("pre", { "data-testid": "log-lines", tabindex: 0, "aria-label": "Gateway log" });
    this.note = h("p", { role: "status" });
    this.replaceChildren(this.note, this.out);
    this.poll();
  }

  disconnectedCallback() {
    clearTimeout(this.#timer);
  }

  async poll() {
    try {
      const res = await gw.request("logs.tail", {
        limit: 500,
        ...(this.#cursor !== undefined ? { cursor: this.#cursor, file: this.#file } : {}),
      });
      if (res.reset) this.out.textContent = "";
      this.#cursor = res.cursor;
      this.#file = res.file;
      if (res.lines.length) {
        const all = (this.out.textContent + res.lines.join("\n") + "\n").split("\n");
        this.out.textContent = all.slice(-2001).join("\n");
      }
      this.note.textContent = `Following ${res.file}`;
    } catch (err) {
      this.note.textContent = `Logs unavailable: ${err.message}`;
    }
    if (this.isConnected) this.#timer = setTimeout(() => this.poll(), 2000);
  }
}

customElements.define("oc-sign-in", SignIn);
customElements.define("oc-chat", Chat);
customElements.define("oc-overview", Overview);
customElements.define("oc-logs", Logs);

const PAGES = { chat: "oc-chat", overview: "oc-overview", logs: "oc-logs" };

/** Shell: nav, connection status, the current page. */
class App extends HTMLElement {
  connectedCallback() {
    gw.addEventListener("state", () => this.render());
    addEventListener("hashchange", () => this.render());
    this.render();
    gw.start();
  }

  render() {
    const page = location.hash.slice(2) in PAGES ? location.hash.slice(2) : "chat";
    const connected = gw.state === "connected";
    const body = connected
      ? h(PAGES[page])
      : gw.state === "signed-out" || gw.state === "auth-failed"
      ? h("oc-sign-in")
      : h("p", { role: "status" }, gw.error || "Connecting…");
    this.replaceChildren(
      h(
        "nav",
        {},
        ...Object.keys(PAGES).map((p) =>
          h("a", { href: `#/${p}`, "aria-current": p === page ? "page" : undefined }, p)
        ),
        h("span", { class: "status", "data-testid": "conn" }, gw.state),
        connected ? h("button", { type: "button", onclick: () => gw.signOut() }, "Sign out") : null,
      ),
      h("main", {}, body),
    );
  }
}

consumeUrlToken();
customElements.define("oc-app", App);
