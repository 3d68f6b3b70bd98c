// A button that asks once more before doing something that cannot be undone
// (log out a channel, remove a device): the question and "Yes" / "Cancel"
// replace the button in place, keyboard focus moves to "Yes"; Escape or
// "Cancel" puts the button (and the focus) back.

import { html, LitElement } from "lit";

/**
 * `<oc-confirm-button label="Log out" question="…" yes="Log out">`: fires
 * `confirm` when the user says yes.
 */
export class ConfirmButton extends LitElement {
  static properties = {
    label: {},
    question: {},
    yes: {},
    busy: { type: Boolean },
    _asking: { state: true },
  };

  constructor() {
    super();
    this.label = "Remove";
    this.question = "Are you sure?";
    this.yes = "";
    this.busy = false;
    this._asking = false;
  }

  createRenderRoot() {
    return this;
  }

  #ask(on) {
    this._asking = on;
    this.updateComplete.then(() => this.querySelector(on ? "button.danger" : "button")?.focus());
  }

  render() {
    if (!this._asking) {
      return html`<button type="button" ?disabled=${this.busy} @click=${() =>
        this.#ask(true)}>${this.label}</button>`;
    }
    return html`
      <span class="confirm" role="group" aria-label=${this.question}
        @keydown=${(e) => e.key === "Escape" && (e.preventDefault(), this.#ask(false))}>
        <span>${this.question}</span>
        <button type="button" class="danger" @click=${() => {
          this._asking = false;
          this.dispatchEvent(new CustomEvent("confirm", { bubbles: true }));
        }}>${this.yes || this.label}</button>
        <button type="button" @click=${() => this.#ask(false)}>Cancel</button>
      </span>
    `;
  }
}

customElements.define("oc-confirm-button", ConfirmButton);
