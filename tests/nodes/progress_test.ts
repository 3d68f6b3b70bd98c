import assert from "node:assert/strict";
import { startTestGateway, type TestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { DeviceKey, FakeNode, type InvokeScript } from "../_helpers/fake_node.ts";
import type { GatewaySettings } from "../../src/config/settings.ts";
import { MAX_BUFFERED_PROGRESS, NodeInvoker } from "../../src/nodes/invoke.ts";
import { type ConnectedNode, NodeRegistry } from "../../src/nodes/registry.ts";
import type { GatewayError } from "../../src/errors.ts";

const allow = (s: GatewaySettings): GatewaySettings => ({
  ...s,
  nodes: { autoApproveLocal: true, allowCommands: ["fake.echo"] },
});

async function approvedNode(gw: TestGateway, op: RawWs, script: InvokeScript) {
  const node = await FakeNode.connect(gw.url, await DeviceKey.create(), script);
  const asked = await op.next(
    (f) => f.event === "node.pair.requested" && f.payload.nodeId === node.nodeId,
  );
  const ok = await op.request("node.pair.approve", { requestId: asked.payload.requestId });
  assert.equal(ok.ok, true, JSON.stringify(ok.error));
  return node;
}

Deno.test("node.invoke.progress for an operator's invoke is answered ignored; the result still arrives", async () => {
  await using gw = await startTestGateway({ tweak: allow });
  await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  const acks: unknown[] = [];
  const self: { node?: FakeNode } = {};
  const node = await approvedNode(gw, op, async (req) => {
    const me = self.node!;
    const res = await me.ws.request("node.invoke.progress", {
      invokeId: req.id,
      nodeId: me.nodeId,
      seq: 0,
      chunk: "working",
    });
    acks.push(res.payload);
    return { ok: true, payload: { done: true } };
  });
  self.node = node;
  const res = await op.request("node.invoke", {
    nodeId: node.nodeId,
    command: "fake.echo",
    idempotencyKey: "p-1",
  });
  assert.equal(res.ok, true, JSON.stringify(res.error));
  assert.deepEqual(res.payload.payload, { done: true });
  // 2026.9.6 advertises no progress event for operators: nobody was waiting for chunks.
  assert.deepEqual(acks, [{ ok: true, ignored: true }]);
  assert.equal(op.events("node.invoke.progress").length, 0);
  await node.close();
});

Deno.test("node.invoke.progress naming another node is refused; an operator may not send it", async () => {
  await using gw = await startTestGateway({ tweak: allow });
  await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  let seen!: (id: string) => void;
  const invokeId = new Promise<string>((r) => seen = r);
  const a = await approvedNode(gw, op, (req) => void seen(req.id));
  const b = await approvedNode(gw, op, () => undefined);
  const pending = op.request("node.invoke", {
    nodeId: a.nodeId,
    command: "fake.echo",
    timeoutMs: 3000,
    idempotencyKey: "p-2",
  });
  const id = await invokeId;
  const forged = await b.ws.request("node.invoke.progress", {
    invokeId: id,
    nodeId: a.nodeId,
    seq: 0,
    chunk: "forged",
  });
  assert.equal(forged.ok, false);
  assert.equal(forged.error?.code, "INVALID_REQUEST");
  assert.match(String(forged.error?.message), /^nodeId mismatch/);
  // Its own nodeId but a's invoke: not its invoke, ignored.
  const foreign = await b.ws.request("node.invoke.progress", {
    invokeId: id,
    nodeId: b.nodeId,
    seq: 0,
    chunk: "x",
  });
  assert.deepEqual(foreign.payload, { ok: true, ignored: true });
  const asOperator = await op.request("node.invoke.progress", {
    invokeId: id,
    nodeId: a.nodeId,
    seq: 0,
    chunk: "x",
  });
  assert.equal(asOperator.ok, false);
  assert.match(String(asOperator.error?.message), /unauthorized role/);
  const tooBig = await a.ws.request("node.invoke.progress", {
    invokeId: id,
    nodeId: a.nodeId,
    seq: 0,
    chunk: "x".repeat(16 * 1024 + 1),
  });
  assert.equal(tooBig.error?.code, "INVALID_REQUEST", "chunks are capped at 16 KiB");
  await a.ws.request("node.invoke.result", { id, nodeId: a.nodeId, ok: true, payload: {} });
  assert.equal((await pending).ok, true);
  await a.close();
  await b.close();
});

// The invoker with a recorded `send` edge: ordering and timers, without sockets.
function bench(now = Date.now) {
  const sent: { event: string; payload: Record<string, unknown> }[] = [];
  const nodes = new NodeRegistry();
  const node: ConnectedNode = {
    nodeId: "n1",
    connId: "c1",
    platform: "linux",
    version: "1",
    clientId: "node-host",
    clientMode: "node",
    caps: [],
    commands: ["fake.echo"],
    remoteIp: "127.0.0.1",
    connectedAtMs: now(),
  };
  nodes.add(node);
  const invoker = new NodeInvoker({
    nodes,
    policy: () => ({ allowCommands: ["fake.echo"] }),
    send: (_c, event, payload) => (sent.push({ event, payload: payload as never }), true),
  });
  const idOf = (i: number) => sent.filter((s) => s.event === "node.invoke.request")[i].payload.id;
  return { sent, invoker, idOf };
}

const progress = (invoker: NodeInvoker, invokeId: unknown, seq: number, chunk: string) =>
  invoker.progress({ invokeId: String(invokeId), nodeId: "n1", seq, chunk }, "c1");

Deno.test("NodeInvoker.progress() delivers chunks in seq order, drops repeats, caps the reorder buffer", async () => {
  const { invoker, idOf } = bench();
  const got: string[] = [];
  const done = invoker.invoke(
    { nodeId: "n1", command: "fake.echo", idempotencyKey: "o-1", timeoutMs: 5000 },
    { onProgress: (c) => got.push(c) },
  );
  const id = idOf(0);
  assert.deepEqual(progress(invoker, id, 2, "c"), { ok: true, ignored: false });
  assert.deepEqual(progress(invoker, id, 1, "b"), { ok: true, ignored: false });
  assert.deepEqual(got, [], "held until seq 0 arrives");
  progress(invoker, id, 0, "a");
  assert.deepEqual(got, ["a", "b", "c"]);
  assert.deepEqual(progress(invoker, id, 1, "b again"), { ok: true, ignored: true });
  for (let s = 4; s < 4 + MAX_BUFFERED_PROGRESS; s++) progress(invoker, id, s, `x${s}`);
  assert.deepEqual(progress(invoker, id, 999, "over"), { ok: true, ignored: true });
  assert.deepEqual(
    invoker.progress({ invokeId: String(id), nodeId: "n1", seq: 3, chunk: "d" }, "other-conn"),
    { ok: true, ignored: true },
    "another connection cannot feed this invoke",
  );
  progress(invoker, id, 3, "d");
  assert.equal(got.length, 4 + MAX_BUFFERED_PROGRESS);
  invoker.result({ id: String(id), nodeId: "n1", ok: true, payload: 1 }, "c1");
  assert.equal((await done).payload, 1);
});

Deno.test("NodeInvoker idle limit: each chunk restarts it, silence fails IDLE_TIMEOUT and cancels", async () => {
  const { invoker, idOf, sent } = bench();
  const done = invoker.invoke(
    { nodeId: "n1", command: "fake.echo", idempotencyKey: "o-2", timeoutMs: 10_000 },
    { onProgress: () => {}, idleTimeoutMs: 150 },
  );
  const id = idOf(0);
  const started = Date.now();
  for (let seq = 0; seq < 4; seq++) {
    progress(invoker, id, seq, "tick");
    await new Promise((r) => setTimeout(r, 100));
  }
  const err = await done.then(() => undefined, (e: GatewayError) => e);
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 400, `kept alive by chunks past one idle period (${elapsed} ms)`);
  assert.ok(elapsed < 3000, `failed soon after the chunks stopped (${elapsed} ms)`);
  assert.equal((err?.details as { nodeError: { code: string } }).nodeError.code, "IDLE_TIMEOUT");
  assert.deepEqual(sent.at(-1), {
    event: "node.invoke.cancel",
    payload: { invokeId: id, nodeId: "n1" },
  });
});

Deno.test("NodeInvoker progress never extends the overall timeout; an abort cancels on the node", async () => {
  const { invoker, idOf, sent } = bench();
  const done = invoker.invoke(
    { nodeId: "n1", command: "fake.echo", idempotencyKey: "o-3", timeoutMs: 300 },
    { onProgress: () => {}, idleTimeoutMs: 10_000 },
  );
  const id = idOf(0);
  const started = Date.now();
  const feed = setInterval(() => progress(invoker, id, seq++, "."), 50);
  let seq = 0;
  const err = await done.then(() => undefined, (e: GatewayError) => e);
  clearInterval(feed);
  assert.ok(Date.now() - started < 2000);
  assert.equal(err?.message, "TIMEOUT: node invoke timed out");
  assert.ok(seq > 2, "progress kept coming while the timeout ran");

  const ac = new AbortController();
  const aborted = invoker.invoke(
    { nodeId: "n1", command: "fake.echo", idempotencyKey: "o-4", timeoutMs: 10_000 },
    { signal: ac.signal },
  );
  ac.abort();
  const aErr = await aborted.then(() => undefined, (e: GatewayError) => e);
  assert.equal((aErr?.details as { nodeError: { code: string } }).nodeError.code, "ABORTED");
  assert.deepEqual(sent.at(-1), {
    event: "node.invoke.cancel",
    payload: { invokeId: idOf(1), nodeId: "n1" },
  });
  assert.equal(invoker.pendingCount, 0);
});
