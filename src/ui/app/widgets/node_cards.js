// The cards of the nodes and devices page, as render functions over one row
// and the page (`page.pairAction(method, params, doneText)`, `page._busy`).

import { html } from "lit";
import { ago } from "../lib.js";

function badge(text, tone) {
  return html`<span class="badge" data-tone=${tone}>${text}</span>`;
}

function chips(label, items, kind) {
  if (!items?.length) return null;
  return html`<div class="chip-row"><span class="muted">${label}</span>
    <ul class="chips" aria-label=${label}>${
    items.map((c) => html`<li class="chip" data-kind=${kind}>${c}</li>`)
  }</ul></div>`;
}

function meta(parts) {
  return html`<p class="muted">${parts.filter(Boolean).join(" · ")}</p>`;
}

function decide(page, id, [yesMethod, yesDone], [noMethod, noDone]) {
  const busy = page._busy === id;
  return html`
    <div class="actions">
      <button type="button" ?disabled=${busy}
        @click=${() => page.pairAction(yesMethod, { requestId: id }, yesDone)}>Approve</button>
      <button type="button" ?disabled=${busy}
        @click=${() => page.pairAction(noMethod, { requestId: id }, noDone)}>Reject</button>
    </div>
  `;
}

function remove(page, deviceId, name) {
  return html`
    <div class="actions">
      <oc-confirm-button label="Remove" yes="Remove"
        question=${`Remove ${name}? It must pair again to connect.`}
        ?busy=${page._busy === deviceId}
        @confirm=${() =>
          page.pairAction(
            "device.pair.remove",
            { deviceId },
            `Removed ${name}`,
          )}></oc-confirm-button>
    </div>
  `;
}

/** A device asking to connect (`device.pair.list` pending). */
export function pendingDeviceCard(p, page) {
  const name = p.displayName || p.clientId;
  return html`<li class="card" data-request=${p.requestId}>
    <div class="card-head">
      <strong>${name}</strong>
      ${badge(p.isRepair ? "re-pair requested" : "approval needed", "warn")}
    </div>
    ${
    meta([
      p.platform,
      `role ${(p.roles?.length ? p.roles : [p.role]).join(", ")}`,
      `asked ${ago(p.ts)}`,
      `device ${p.deviceId.slice(0, 12)}…`,
    ])
  }
    ${chips("Requested scopes", p.scopes, "scope")}
    ${
    decide(page, p.requestId, ["device.pair.approve", `Approved ${name}`], [
      "device.pair.reject",
      `Rejected ${name}`,
    ])
  }
  </li>`;
}

/** A node asking for its commands to be allowed (`node.pair.list` pending). */
export function pendingNodeCard(p, page) {
  const name = p.displayName || p.nodeId;
  return html`<li class="card" data-request=${p.requestId}>
    <div class="card-head">
      <strong>${name}</strong>
      ${badge("commands need approval", "warn")}
    </div>
    ${meta([p.platform, p.version, p.remoteIp, `asked ${ago(p.ts)}`])}
    ${chips("Requested commands", p.commands, "command")}
    ${
    decide(page, p.requestId, ["node.pair.approve", `Approved the commands of ${name}`], [
      "node.pair.reject",
      `Rejected the commands of ${name}`,
    ])
  }
  </li>`;
}

/** One node (`node.list`): connected or offline, what it can do. */
export function nodeCard(n, page) {
  const name = n.displayName || n.nodeId;
  const perms = Object.entries(n.permissions ?? {}).map(([k, v]) => `${k} ${v ? "✓" : "✗"}`);
  return html`<li class="card" data-node=${n.nodeId}>
    <div class="card-head">
      <strong>${name}</strong>
      ${n.connected ? badge("connected", "ok") : badge("offline", "off")}
      ${n.approvalState === "pending-approval" ? badge("approval needed", "warn") : null}
    </div>
    ${
    meta([
      n.platform,
      n.deviceFamily,
      n.version,
      n.remoteIp,
      n.connected ? `connected ${ago(n.connectedAtMs)}` : `seen ${ago(n.lastSeenAtMs)}`,
      n.paired ? "paired" : "not paired",
    ])
  }
    ${chips("Capabilities", n.caps, "cap")}
    ${chips("Commands", n.commands, "command")}
    ${chips("Permissions", perms, "permission")}
    ${n.paired ? remove(page, n.nodeId, name) : null}
  </li>`;
}

/** This browser's device id, when it has a device identity (the real UI's storage key). */
function ownDeviceId() {
  try {
    return JSON.parse(localStorage.getItem("openclaw-device-identity-v1") ?? "{}").deviceId;
  } catch {
    return undefined;
  }
}

/** A paired device that is not a node (browsers, CLIs, operator apps). */
export function deviceCard(x, page) {
  const name = x.displayName || x.clientId;
  return html`<li class="card" data-device=${x.deviceId}>
    <div class="card-head">
      <strong>${name}</strong>
      ${x.connected ? badge("connected", "ok") : badge("offline", "off")}
      ${x.deviceId === ownDeviceId() ? badge("this browser", "off") : null}
    </div>
    ${
    meta([
      x.platform,
      `role ${x.roles.join(", ")}`,
      x.approvedVia === "silent" ? "auto-paired" : "approved",
      x.lastSeenAtMs ? `seen ${ago(x.lastSeenAtMs)}` : "",
    ])
  }
    ${chips("Scopes", x.scopes, "scope")}
    ${remove(page, x.deviceId, name)}
  </li>`;
}
