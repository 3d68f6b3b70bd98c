import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { connectParams, RawWs, type WireFrame } from "../_helpers/raw_ws.ts";
import { StalledWs } from "../_helpers/stalled_ws.ts";

/** A UI client (tracked in presence as "stalled") that stops reading after hello-ok. */
function connectStalled(port: number): Promise<StalledWs> {
  return StalledWs.connect(
    port,
    connectParams({
      client: {
        id: "webchat-ui",
        version: "1",
        platform: "test",
        mode: "ui",
        instanceId: "stalled",
      },
    }),
  );
}

const KiB = 1024;

type Row = { instanceId?: string; reason?: string; text?: string };
const rows = (f: WireFrame): Row[] => f.event === "presence" ? f.payload.presence : [];

// The stalled client posts notes that are broadcast as presence to everyone
// (about 48 KiB each) and never reads, so its send buffer grows until the
// gateway gives up on it. The healthy client reads everything; each frame to
// it stays under the limit (Deno counts a frame in `bufferedAmount` until its
// write op completes, even when the kernel took it at once).
Deno.test("hub closes a client that stops reading (1008 slow consumer), others keep working", async () => {
  await using gw = await startTestGateway({
    tweak: (s) => ({ ...s, policy: { ...s.policy, maxBufferedBytes: 64 * KiB } }),
  });
  await using healthy = await RawWs.connect(gw.url);
  const stalled = await connectStalled(gw.port);
  try {
    const filler = "x".repeat(48 * KiB);
    let posts = 0;
    while (gw.proc.instance.connections() === 2 && posts < 1000) {
      const mark = `${posts}:`;
      await stalled.sendRequest(`s${posts++}`, "system-event", {
        text: mark + filler,
        instanceId: "load",
      });
      await healthy.next((f) => rows(f).some((r) => r.text?.startsWith(mark)));
    }
    assert.equal(
      gw.proc.instance.connections(),
      1,
      `stalled client still connected after ${posts} posts`,
    );
    assert.deepEqual(await stalled.drainUntilClose(), { code: 1008, reason: "slow consumer" });
    await healthy.next((f) =>
      rows(f).some((r) => r.instanceId === "stalled" && r.reason === "disconnect")
    );
    assert.ok(gw.lines.some((l) => l.includes("slow consumer")));
    assert.equal((await healthy.request("health", {})).ok, true);
    assert.equal(healthy.isClosed, false);
  } finally {
    stalled.close();
  }
});

// Per the spec only broadcasts marked dropIfSlow close a slow socket; the
// answer to a request is sent regardless. A 1 MiB note makes the presence
// broadcast to the poster itself sit in its send buffer when the answer goes out.
Deno.test("ws session sends the answer to a request even past maxBufferedBytes", async () => {
  await using gw = await startTestGateway({
    tweak: (s) => ({ ...s, policy: { ...s.policy, maxBufferedBytes: 64 * KiB } }),
  });
  await using poster = await RawWs.connect(gw.url);
  const res = await poster.request("system-event", { text: "n".repeat(1024 * KiB) });
  assert.equal(res.ok, true);
  assert.equal(poster.isClosed, false);
});

// `shutdown` is broadcast with dropIfSlow false: it must reach even a client
// whose send buffer is over the limit, followed by close 1001.
Deno.test("shutdown reaches a slow consumer before close 1001", async () => {
  await using gw = await startTestGateway({
    tweak: (s) => ({ ...s, policy: { ...s.policy, maxBufferedBytes: 64 * KiB } }),
  });
  const stalled = await StalledWs.connect(gw.port, connectParams());
  try {
    // A cli-mode poster: its own disconnect is not broadcast, so nothing
    // else reaches the stalled socket between the big note and the shutdown.
    const poster = await RawWs.connect(gw.url, {
      client: { id: "cli", version: "1", platform: "t", mode: "cli" },
    });
    await poster.request("system-event", { text: "n".repeat(8 * 1024 * KiB) }).catch(() => {});
    await poster.close();
    gw.signals.raise("SIGTERM");
    const closed = await stalled.drainUntilClose();
    const events = stalled.texts.map((t) => JSON.parse(t)).filter((f) => f.type === "event");
    assert.deepEqual(events.map((f) => f.event).slice(-1), ["shutdown"], "no shutdown event");
    assert.equal(closed?.code, 1001, `closed ${JSON.stringify(closed)}`);
    assert.equal(await gw.proc.done, 0);
  } finally {
    stalled.close();
  }
});

// Dropping a slow consumer broadcasts its disconnect. When that happens in the
// middle of another broadcast, sockets later in the loop must still see seq
// and stateVersion only go up. Frames are big (200 KiB, under the 1 MiB limit)
// so the stalled socket fills in a few posts.
Deno.test("hub keeps v3 seq increasing when it drops a slow consumer mid-broadcast", async () => {
  await using gw = await startTestGateway({
    tweak: (s) => ({ ...s, policy: { ...s.policy, maxBufferedBytes: 1024 * KiB } }),
  });
  // Connected first, so the broadcast loop reaches it before the v3 client.
  const stalled = await connectStalled(gw.port);
  try {
    await using v3 = await RawWs.connect(gw.url, { minProtocol: 3, maxProtocol: 3 });
    const filler = "x".repeat(200 * KiB);
    let posts = 0;
    while (gw.proc.instance.connections() === 2 && posts < 500) {
      const mark = `${posts}:`;
      const params = { text: mark + filler, instanceId: "load" };
      v3.send(JSON.stringify({ type: "req", id: `p${posts++}`, method: "system-event", params }));
      await v3.next((f) => rows(f).some((r) => r.text?.startsWith(mark)));
    }
    assert.equal(
      gw.proc.instance.connections(),
      1,
      `stalled client still connected after ${posts} posts`,
    );
    assert.equal((await v3.request("health", {})).ok, true);
    // The disconnect goes out with the next (coalesced) presence event.
    await v3.next((f) =>
      rows(f).some((r) => r.instanceId === "stalled" && r.reason === "disconnect")
    );
    const seqs = v3.frames.filter((f) => f.type === "event" && f.seq !== undefined).map((f) =>
      f.seq!
    );
    for (let i = 1; i < seqs.length; i++) {
      assert.ok(seqs[i] > seqs[i - 1], `seq ${seqs[i]} arrived after ${seqs[i - 1]}`);
    }
    const versions = v3.events("presence").map((f) => f.stateVersion!.presence);
    for (let i = 1; i < versions.length; i++) {
      assert.ok(
        versions[i] > versions[i - 1],
        `stateVersion ${versions[i]} after ${versions[i - 1]}`,
      );
    }
  } finally {
    stalled.close();
  }
});
