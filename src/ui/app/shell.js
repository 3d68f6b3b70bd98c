// The app shell: navigation, the connection state, sign-in or the current page.

import { html, LitElement } from "lit";
import { gw } from "./gateway.js";
import { currentRoute, href, startRouter } from "./router.js";
import { ALIASES, ROUTES } from "./routes.js";
import "./pages/sign_in.js";

const STATE_TEXT = {
  idle: "idle",
  "signed-out": "signed out",
  connecting: "connecting…",
  connected: "connected",
  reconnecting: "reconnecting…",
  "auth-failed": "signed out",
};

/** Keeps the focused link of a sideways-scrolling nav fully in view. */
function revealFocused(e) {
  e.target.scrollIntoView?.({ block: "nearest", inline: "nearest" });
}

/** `<oc-app>`: the whole page. */
export class App extends LitElement {
  #page;
  #pageRoute;
  #shown;

  createRenderRoot() {
    return this;
  }

  connectedCallback() {
    super.connectedCallback();
    gw.addEventListener("state", () => this.requestUpdate());
    addEventListener("route", () => this.requestUpdate());
    // A turned phone re-lays the nav out: centre the current link again.
    addEventListener("resize", () => {
      this.#shown = undefined;
      this.requestUpdate();
    });
    startRouter();
    gw.start();
  }

  #route() {
    const r = currentRoute();
    const name = ALIASES[r] ?? r;
    return ROUTES.find((x) => x.route === name) ?? ROUTES[0];
  }

  /** The page element, kept while the route stays (a reconnect keeps its state). */
  #pageFor(route) {
    if (this.#pageRoute !== route.route) {
      this.#page = document.createElement(route.tag);
      this.#pageRoute = route.route;
    }
    return this.#page;
  }

  updated() {
    // The current page's link stays visible in a sideways-scrolled phone nav.
    const current = this.querySelector('nav.pages a[aria-current="page"]');
    if (current && current.dataset.route !== this.#shown) {
      this.#shown = current.dataset.route;
      const nav = current.parentElement;
      if (nav.scrollWidth > nav.clientWidth) {
        nav.scrollLeft = current.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2;
      }
    }
  }

  render() {
    const route = this.#route();
    const connected = gw.state === "connected";
    const signIn = gw.state === "signed-out" || gw.state === "auth-failed";
    if (signIn) this.#page = this.#pageRoute = undefined;
    document.title = `${route.title} · OpenClaw Control`;
    // One row on a desktop; on a phone the links scroll sideways in a row of
    // their own (style: layout.css), so the bar never wraps into a block.
    return html`
      <header class="top">
        <strong class="brand">OpenClaw</strong>
        <nav class="pages" aria-label="Pages" @focusin=${revealFocused}>
          ${ROUTES.map((r) =>
            html`
              <a href=${href(r.route)} data-route=${r.route}
                aria-current=${r === route ? "page" : "false"}>${r.title}</a>
            `
          )}
        </nav>
        <span class="status" data-state=${gw.state} data-testid="conn" role="status"
          >${STATE_TEXT[gw.state] ?? gw.state}</span>
        ${connected
          ? html`<button type="button" @click=${() => gw.signOut()}>Sign out</button>`
          : null}
      </header>
      ${gw.error && !signIn ? html`<p class="banner" role="alert">${gw.error}</p>` : null}
      <main id="main">
        ${signIn
          ? html`<oc-sign-in></oc-sign-in>`
          : this.#page || connected
          ? this.#pageFor(route)
          : html`<p role="status">Connecting…</p>`}
      </main>
    `;
  }
}
