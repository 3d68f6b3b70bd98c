// The Overview page's cards: pure render functions of the snapshots the page
// fetched (`status`, `health`, `system-presence`, `models.list`,
// `agents.list`, `channels.status`, `node.list`). A missing snapshot renders
// as "–" so one failed method never blanks the page.

import { html } from "lit";
import { ago, duration } from "../lib.js";

/** One labelled value row of a card. */
function field(label, value) {
  return html`
    <dt>${label}</dt>
    <dd>${value ?? "–"}</dd>
  `;
}

function card(title, body, testId) {
  return html`<section class="card" aria-label=${title} data-testid=${testId}>
    <h2>${title}</h2>${body}
  </section>`;
}

/**
 * Gateway card: version, uptime (counted on from the fetch), bind/port,
 * auth mode and protocol.
 */
export function gatewayCard(status, fetchedAt, now) {
  const g = status?.gateway ?? {};
  const uptime = status ? duration(status.uptimeMs + (now - fetchedAt)) : undefined;
  return card(
    "Gateway",
    html`<dl>
      ${field("Version", status?.version)} ${field("Uptime", uptime)}
      ${field("Bind", g.bind ? `${g.bind} (${g.bindHost}:${g.port})` : undefined)}
      ${field("Auth mode", status?.authMode)} ${field("Protocol", status?.protocol)}
      ${field("Runtime", status?.runtimeVersion)} ${field("Process id", status?.pid)}
    </dl>`,
    "card-gateway",
  );
}

/** Model card: the default model and its credential, models and agents known. */
export function modelCard(status, models, agents) {
  const m = status?.model ?? {};
  const list = models?.models ?? [];
  const def = list.find((x) => x.isDefault);
  return card(
    "Model",
    html`<dl>
      ${field("Default model", m.model ?? (def ? `${def.provider}/${def.id}` : undefined))}
      ${field("Credential", m.credential)}
      ${field("Models", models ? String(list.length) : undefined)}
      ${
      field(
        "Agents",
        agents ? `${agents.agents?.length ?? 0} (default ${agents.defaultId})` : undefined,
      )
    }
      ${field("Sessions", status?.sessions ? String(status.sessions.count) : undefined)}
    </dl>`,
    "card-model",
  );
}

/** Channels card: one line per channel, in the gateway's order. */
export function channelsCard(channels) {
  const order = channels?.channelOrder ?? Object.keys(channels?.channels ?? {});
  const body = !channels
    ? html`<p class="muted">–</p>`
    : order.length === 0
    ? html`<p class="muted">No channels configured.</p>`
    : html`<ul class="plain">${
      order.map((id) => {
        const c = channels.channels[id] ?? {};
        const state = c.connected
          ? "connected"
          : c.running
          ? "running"
          : c.configured
          ? "stopped"
          : "not configured";
        return html`<li><strong>${id}</strong> <span class="badge" data-state=${state}>${state}</span>
            ${
          c.accounts?.length > 1
            ? html`<span class="muted">${c.accounts.length} accounts</span>`
            : null
        }
            ${c.lastError ? html`<span class="error">${c.lastError}</span>` : null}</li>`;
      })
    }</ul>`;
  return card("Channels", body, "card-channels");
}

/** Health card: the health verdict, config validity, heartbeat, probe time. */
export function healthCard(health, status) {
  const issues = health?.config?.issues ?? status?.config?.issues ?? [];
  const valid = health?.config?.valid ?? status?.config?.valid;
  return card(
    "Health",
    html`<dl>
      ${field("Health", health ? (health.ok ? "ok" : "failing") : undefined)}
      ${
      field("Config", valid === undefined ? undefined : valid ? "valid" : `${issues.length} issues`)
    }
      ${
      field(
        "Heartbeat",
        health
          ? (health.heartbeatSeconds ? `every ${health.heartbeatSeconds} s` : "off")
          : undefined,
      )
    }
      ${field("Checked in", health ? `${health.durationMs} ms` : undefined)}
    </dl>
    ${
      issues.length
        ? html`<ul class="error">${
          issues.slice(0, 5).map((i) => html`<li>${i.path ?? ""} ${i.message ?? i}</li>`)
        }</ul>`
        : null
    }`,
    "card-health",
  );
}

/**
 * Presence table: who is connected (clients and nodes), where from, since
 * when. On a phone each row stacks as a small card (`table.cards`).
 */
export function presenceTable(presence, nodes, now) {
  const rows = Array.isArray(presence) ? presence : [];
  const connectedNodes = (nodes?.nodes ?? []).filter((n) => n.connected).length;
  return html`
    <section class="card wide" aria-label="Connected clients" data-testid="card-presence">
      <h2>Connected clients and nodes</h2>
      <p class="muted">${rows.length} in presence · ${nodes
        ? `${connectedNodes} of ${nodes.nodes.length} nodes connected`
        : "nodes –"}</p>
      <div class="scroll-x">
        <table class="cards">
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Mode</th>
              <th scope="col">Platform</th>
              <th scope="col">Address</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>${rows.map((p) =>
            html`
              <tr>
                <td data-label="Client">${p.host ?? "?"}${p.version
                  ? html`
                    <span class="muted">${p.version}</span>
                  `
                  : null}</td>
                <td data-label="Mode">${p.mode ?? "–"}</td>
                <td data-label="Platform">${[p.platform, p.deviceFamily].filter(Boolean).join(
                  " · ",
                ) || "–"}</td>
                <td data-label="Address">${p.ip ?? "local"}</td>
                <td data-label="Since">${ago(p.ts, now)}</td>
              </tr>
            `
          )}</tbody>
        </table>
      </div>
    </section>
  `;
}
