// An exec approval prompt, answered inline in the chat: what would run, where,
// for which agent and session, and how long the gateway waits before it
// denies on its own.

import { html } from "lit";
import { duration } from "../lib.js";

const LABELS = { "allow-once": "Allow once", "allow-always": "Always allow", deny: "Deny" };

/** "expires in 1 min 5 s" / "expired" for an `expiresAtMs`. */
export function expiresText(expiresAtMs, now = Date.now()) {
  if (!expiresAtMs) return "";
  const left = expiresAtMs - now;
  return left <= 0 ? "expired" : `expires in ${duration(left)}`;
}

/**
 * The prompt for one `exec.approval.requested` payload; `decide(decision)`
 * is called with the button's decision (only those the gateway offers).
 */
export function approvalCard(a, decide, now = Date.now()) {
  const r = a.request ?? {};
  const offered = Array.isArray(r.allowedDecisions) && r.allowedDecisions.length
    ? r.allowedDecisions.filter((d) => d in LABELS)
    : Object.keys(LABELS);
  return html`
    <section class="approval" role="alertdialog" aria-label="Exec approval" tabindex="-1"
      aria-describedby=${`appr-${a.id}`} data-approval=${a.id}>
      <p id=${`appr-${a.id}`}>The agent wants to run a command.</p>
      <pre class="cmd" aria-label="Command">${r.command ?? a.command ?? ""}</pre>
      <dl class="approval-meta">
        <dt>Directory</dt>
        <dd>${r.cwd ?? "–"}</dd>
        <dt>Agent</dt>
        <dd>${r.agentId ?? "–"}</dd>
        <dt>Session</dt>
        <dd>${r.sessionKey ?? "–"}</dd>
        <dt>Expiry</dt>
        <dd data-testid="approval-expiry">${expiresText(a.expiresAtMs, now)}</dd>
      </dl>
      <div class="row">
          ${offered.map((d) =>
            html`<button type="button" data-decision=${d} @click=${() => decide(d)}>${
              LABELS[d]
            }</button>`
          )}
        </div>
    </section>
  `;
}
