// Nodes and devices: pending pairing requests (devices asking to connect,
// nodes asking to expose commands) with approve / reject, the nodes with
// their capabilities, and the paired devices with remove. Re-read on every
// pairing and presence event.

import { html } from "lit";
import { gw } from "../gateway.js";
import { DataElement } from "../lib.js";
import { deviceCard, nodeCard, pendingDeviceCard, pendingNodeCard } from "../widgets/node_cards.js";
import "../widgets/confirm_button.js";

const EVENTS = new Set([
  "device.pair.requested",
  "device.pair.resolved",
  "node.pair.requested",
  "node.pair.resolved",
  "presence",
]);

class Nodes extends DataElement {
  static properties = { _data: { state: true } };

  constructor() {
    super();
    this._data = undefined;
  }

  onGatewayEvent(f) {
    if (EVENTS.has(f.event)) this.reloadSoon(150);
  }

  async load() {
    try {
      const [nodes, devices, nodePairs] = await Promise.all([
        gw.request("node.list", {}),
        gw.request("device.pair.list", {}),
        gw.request("node.pair.list", {}),
      ]);
      this._data = { nodes: nodes.nodes ?? [], devices, nodePairs };
      this._error = "";
    } catch (err) {
      this._error = `Devices unavailable: ${err.message}`;
    }
  }

  /** Runs one pairing action, says what happened, reloads. */
  pairAction(method, params, done) {
    return this.act(params.requestId ?? params.deviceId, async () => {
      await gw.request(method, params);
      return done;
    });
  }

  render() {
    const d = this._data;
    const pendingDevices = d?.devices.pending ?? [];
    const pendingNodes = d?.nodePairs.pending ?? [];
    const nodeIds = new Set(d?.nodes.map((n) => n.nodeId));
    // Nodes are shown as nodes; the rest (browsers, CLIs, operators) as devices.
    const devices = (d?.devices.paired ?? []).filter((x) => !nodeIds.has(x.deviceId));
    const connected = d ? d.nodes.filter((n) => n.connected).length : 0;
    return html`
      <div class="page-head">
        <h1>Nodes and devices</h1>
        <button type="button" @click=${() => this.refresh()}>Refresh</button>
      </div>
      ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : null}
      <p role="status" class="note" data-testid="nodes-note">${this._note}</p>
      ${!d && !this._error ? html`<p role="status">Loading…</p>` : null}
      ${d
        ? html`
          <section aria-labelledby="pending-h">
            <h2 id="pending-h">Pending requests</h2>
            ${pendingDevices.length + pendingNodes.length === 0
              ? html`<p class="muted">Nothing waiting for approval.</p>`
              : html`<ul class="cards" aria-labelledby="pending-h">
                ${pendingDevices.map((p) => pendingDeviceCard(p, this))}
                ${pendingNodes.map((p) => pendingNodeCard(p, this))}
              </ul>`}
          </section>
          <section aria-labelledby="nodes-h">
            <h2 id="nodes-h">Nodes</h2>
            ${d.nodes.length
              ? html`<p class="muted">${connected} of ${d.nodes.length} connected.</p>`
              : null}
            ${d.nodes.length === 0
              ? html`<p class="muted">No nodes yet. Start a node host and approve it here.</p>`
              : html`<ul class="cards" aria-labelledby="nodes-h">${
                d.nodes.map((n) => nodeCard(n, this))
              }</ul>`}
          </section>
          <section aria-labelledby="devices-h">
            <h2 id="devices-h">Paired devices</h2>
            ${devices.length === 0
              ? html`<p class="muted">No other paired devices.</p>`
              : html`<ul class="cards" aria-labelledby="devices-h">${
                devices.map((x) => deviceCard(x, this))
              }</ul>`}
          </section>
        `
        : null}
    `;
  }
}

customElements.define("oc-nodes", Nodes);
