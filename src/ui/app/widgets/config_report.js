// What the config editor says about the text: problems by line and key
// (each with a "go to line" button), and what saving does per changed key.

import { html } from "lit";

const EFFECT_TEXT = {
  hot: "applied live",
  none: "read live, nothing to restart",
  restart: "needs a gateway restart",
};

/** "Line 4, column 3" / "Line 4" / "" for an issue. */
export function where(issue) {
  if (!issue.line) return "";
  return issue.column ? `Line ${issue.line}, column ${issue.column}` : `Line ${issue.line}`;
}

/**
 * The problems list. `goTo(line)` moves the editor's caret there.
 * `message` is the gateway's whole refusal when the config would not run.
 */
export function issuesView(issues, message, goTo) {
  if (!issues?.length && !message) return null;
  return html`<div class="config-issues" role="alert" data-testid="config-issues">
    <h2>Not valid: nothing was written</h2>
    ${message ? html`<p>${message}</p>` : null}
    <ul>
      ${
    (issues ?? []).map((i) =>
      html`<li data-line=${i.line ?? ""} data-key=${i.path}>
          ${
        i.line
          ? html`<button type="button" class="link" @click=${() => goTo(i.line, i.column)}>${
            where(
              i,
            )
          }</button>`
          : null
      }
          ${i.path ? html`<code>${i.path}</code>` : null}
          <span>${i.message}</span>
        </li>`
    )
  }
    </ul>
  </div>`;
}

/** One line summary of a change preview (`config.validate`'s answer). */
export function summary(v) {
  if (!v.changes.length) return "No setting changes (formatting or comments only).";
  if (v.restart) return "Saving restarts the gateway; this page reconnects by itself.";
  if (v.changes.some((c) => c.effect === "restart")) {
    return 'Some changes wait for a restart: gateway.reload.mode is "hot".';
  }
  return "Saving applies every change live, without a restart.";
}

/** The per-key list of what saving does. */
export function changesView(v, title = "What saving does") {
  if (!v?.valid) return null;
  return html`<div class="config-changes" data-testid="config-changes">
    <h2>${title}</h2>
    <p>${summary(v)}</p>
    ${
    v.changes.length
      ? html`<ul>
        ${
        v.changes.map((c) =>
          html`<li data-effect=${c.effect}>
            <code>${c.path}</code>
            <span class="effect" data-effect=${c.effect}>${
            c.effect === "restart" ? "restart" : "hot"
          }</span>
            ${EFFECT_TEXT[c.effect]}${
            c.action
              ? html`
                (<code>${c.action}</code>)
              `
              : null
          }
          </li>`
        )
      }
      </ul>`
      : null
  }
  </div>`;
}
