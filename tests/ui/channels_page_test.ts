/**
 * The Channels page in a real headless Chromium against a gateway whose
 * WhatsApp channel talks to the fake WhatsApp Web server (real Baileys):
 * the QR shows as an image, the fake phone scans it and the page says
 * linked; DM pairing requests from fake peers appear, approving one lets
 * that sender talk to the agent, dismissing one drops it; log out asks first.
 */

import assert from "node:assert/strict";
import type { FakePeer } from "../_fakes/whatsapp/mod.ts";
import { TEST_TOKEN } from "../_helpers/gateway.ts";
import { startWaGateway } from "../channels/whatsapp/_gateway.ts";
import { hasBrowser, runDriver } from "./_browser.ts";
import { startTestControl } from "./_test_control.ts";

const DRIVER = new URL("./_channels_driver.ts", import.meta.url);

Deno.test({
  name: "channels page in Chromium: WhatsApp QR link, DM requests approved / dismissed, log out",
  ignore: !hasBrowser,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using h = await startWaGateway();
    const peers: Record<string, FakePeer> = {
      bob: h.server.addPeer({ pn: "15553334444", lid: "77773334444", name: "Bob" }),
      carol: h.server.addPeer({ pn: "15556667777", lid: "77776667777", name: "Carol" }),
    };
    const peer = (q: URLSearchParams) => peers[q.get("peer") ?? ""];
    await using ctl = startTestControl({
      // The phone scans the QR the page shows (the gateway answers a second
      // start with the current code, as it does for the page between waits).
      scan: async () => {
        const started = await h.call<{ qr?: string }>("web.login.start", { timeoutMs: 15_000 });
        if (!started.qr) throw new Error(`No QR to scan: ${JSON.stringify(started)}`);
        h.server.phoneScan(started.qr);
      },
      // An unknown sender writes: the gateway answers with a pairing code.
      dm: async (q) => {
        const code = h.nextToPeer(peer(q), (t) => t.includes("Pairing code:"));
        await h.server.deliverText(peer(q), "hello, who is this?");
        return /Pairing code: ([A-Z0-9]{8})/.exec(await code)?.[1];
      },
      // An approved sender is answered by the agent.
      talk: async (q) => {
        const reply = h.nextToPeer(peer(q), (t) => t === "Hello from stub.");
        await h.server.deliverText(peer(q), "may I talk now?");
        return await reply;
      },
    });
    const base = `http://127.0.0.1:${h.gw.proc.instance.port}/`;
    const result = await runDriver(DRIVER, [base, TEST_TOKEN, ctl.url]);
    assert.deepEqual(ctl.errors, []);
    console.log(`QR image: ${result.qrWidth} px wide`);
    assert.ok((result.qrWidth as number) > 100, JSON.stringify(result));
    assert.equal(result.reply, "Hello from stub.");

    // What the page did is what the gateway holds now.
    // deno-lint-ignore no-explicit-any
    const pending = await h.call<any>("channels.pairing.list", {});
    assert.deepEqual(pending.requests, [], "approved and dismissed requests are gone");
    const allowed = JSON.parse(
      await Deno.readTextFile(`${h.stateDir}/credentials/whatsapp-allowFrom.json`),
    );
    assert.deepEqual(allowed.allowFrom, ["+15553334444"], "only the approved sender");
    const account = await h.account();
    assert.equal(account.linked, false, "logged out from the page");
  },
});
