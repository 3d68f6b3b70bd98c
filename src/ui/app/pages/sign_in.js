// Sign-in: the gateway secret (token or password), when none is stored or it was refused.

import { html } from "lit";
import { gw } from "../gateway.js";
import { GwElement } from "../lib.js";

class SignIn extends GwElement {
  #submit(e) {
    e.preventDefault();
    const value = new FormData(e.target).get("token");
    if (typeof value === "string" && value) gw.signIn(value);
  }

  firstUpdated() {
    this.querySelector("input")?.focus();
  }

  render() {
    return html`
      <h1>Sign in</h1>
      ${gw.error ? html`<p class="error" role="alert">${gw.error}</p>` : null}
      <p class="muted">Run <code>openclaw dashboard</code> on the gateway's machine: it opens
        this page signed in (or prints the link). Or paste the gateway token:
        <code>gateway.auth.token</code> in <code>~/.openclaw/openclaw.json</code> (or the
        <code>OPENCLAW_GATEWAY_TOKEN</code> the gateway runs with), or open
        <code>http://host:port/#token=…</code>.</p>
      <form class="row" @submit=${this.#submit}>
        <input type="password" name="token" autocomplete="current-password"
          aria-label="Gateway token" placeholder="Gateway token" maxlength="4096" required>
        <button type="submit">Connect</button>
      </form>
    `;
  }
}

customElements.define("oc-sign-in", SignIn);
