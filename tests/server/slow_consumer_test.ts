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

/** Waits until `cond()` holds, polling; fails after `ms`. */
async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// The healthy client posts notes that are broadcast as presence to everyone
// (about 48 KiB each); the stalled client never reads, so its send buffer
// grows until the gateway gives up on it. The healthy client reads everything.
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
      const mark = `${posts++}:`;
      const res = await healthy.request("system-event", {
        text: mark + filler,
        instanceId: "load",
      });
      assert.equal(res.ok, true);
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

// Answers count against maxBufferedBytes too: a client that pipelines
// requests and never reads is closed, instead of the gateway holding every
// answer. Nothing but answers goes to it after the note is out.
Deno.test("answers past maxBufferedBytes close a client that never reads (1008)", async () => {
  await using gw = await startTestGateway({
    tweak: (s) => ({ ...s, policy: { ...s.policy, maxBufferedBytes: 64 * KiB } }),
  });
  await using poster = await RawWs.connect(gw.url, {
    client: { id: "cli", version: "1", platform: "t", mode: "cli" },
  });
  const stalled = await StalledWs.connect(
    gw.port,
    connectParams({ client: { id: "cli", version: "1", platform: "t", mode: "cli" } }),
  );
  try {
    // Every system-presence answer carries this 256 KiB note.
    assert.equal((await poster.request("system-event", { text: "n".repeat(256 * KiB) })).ok, true);
    await poster.nextEvent("presence");
    // 120 answers of 256 KiB: 30 MiB, far past what the kernel buffers take.
    for (let i = 0; i < 120 && gw.proc.instance.connections() === 2; i++) {
      await stalled.sendRequest(`p${i}`, "system-presence");
    }
    await until(() => gw.proc.instance.connections() === 1, 5000, "stalled client not closed");
    assert.deepEqual(await stalled.drainUntilClose(), { code: 1008, reason: "slow consumer" });
  } finally {
    stalled.close();
  }
});

// `shutdown` is the one frame sent past the limit: it must reach a client
// whose send buffer is over maxBufferedBytes, followed by close 1001. A 20 MiB
// presence broadcast (more than loopback socket buffers hold) leaves the
// stalled client's buffer far over the 64 KiB limit when SIGTERM comes.
Deno.test("shutdown reaches a slow consumer before close 1001", async () => {
  await using gw = await startTestGateway({
    tweak: (s) => ({ ...s, policy: { ...s.policy, maxBufferedBytes: 64 * KiB } }),
  });
  const stalled = await StalledWs.connect(gw.port, connectParams());
  try {
    // A cli-mode poster: its own connect and disconnect are not broadcast.
    const poster = await RawWs.connect(gw.url, {
      client: { id: "cli", version: "1", platform: "t", mode: "cli" },
    });
    const res = await poster.request("system-event", { text: "n".repeat(20 * 1024 * KiB) });
    assert.equal(res.ok, true, JSON.stringify(res.error));
    // The broadcast loop reached every client once the poster has its copy.
    await poster.nextEvent("presence", 10_000);
    await poster.close();
    await until(() => gw.proc.instance.connections() === 1, 3000, "poster still connected");
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
