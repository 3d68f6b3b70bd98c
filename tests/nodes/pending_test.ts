import assert from "node:assert/strict";
import { startTestGateway, type TestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { DeviceKey, FakeNode, type InvokeScript, nodeParams } from "../_helpers/fake_node.ts";
import {
  PENDING_ACTION_MAX_PER_NODE,
  PENDING_ACTION_TTL_MS,
  PendingActions,
} from "../../src/nodes/pending_actions.ts";
import { PendingWork } from "../../src/nodes/pending_work.ts";

async function approvedNode(
  gw: TestGateway,
  op: RawWs,
  script: InvokeScript,
  params?: Record<string, unknown>,
) {
  const node = await FakeNode.connect(gw.url, await DeviceKey.create(), script, params);
  const asked = await op.next(
    (f) => f.event === "node.pair.requested" && f.payload.nodeId === node.nodeId,
  );
  const ok = await op.request("node.pair.approve", { requestId: asked.payload.requestId });
  assert.equal(ok.ok, true, JSON.stringify(ok.error));
  return node;
}

const iosParams = () =>
  nodeParams({
    client: {
      id: "openclaw-ios",
      displayName: "phone",
      version: "ios-1",
      platform: "iOS 18.2",
      mode: "node",
      deviceFamily: "iPhone",
    },
    caps: ["canvas"],
    commands: ["canvas.present", "system.notify"],
  });

Deno.test("a backgrounded iOS node's canvas.present is queued; the node pulls and acks it", async () => {
  await using gw = await startTestGateway();
  await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  const node = await approvedNode(
    gw,
    op,
    () => ({
      ok: false,
      error: { code: "NODE_BACKGROUND_UNAVAILABLE", message: "app is in the background" },
    }),
    iosParams(),
  );
  const call = () =>
    op.request("node.invoke", {
      nodeId: node.nodeId,
      command: "canvas.present",
      params: { target: "panel" },
      idempotencyKey: "fg-1",
    });
  const res = await call();
  assert.equal(res.error?.code, "UNAVAILABLE");
  assert.equal(res.error?.message, "node command queued until iOS returns to foreground");
  assert.equal((res.error as { retryable?: boolean } | undefined)?.retryable, true);
  const details = res.error?.details as Record<string, unknown>;
  assert.equal(details.code, "QUEUED_UNTIL_FOREGROUND");
  assert.equal(details.command, "canvas.present");
  assert.deepEqual(details.nodeError, {
    code: "NODE_BACKGROUND_UNAVAILABLE",
    message: "app is in the background",
  });
  // A retry with the same key does not queue a second action.
  const again = await call();
  assert.equal(
    (again.error?.details as { queuedActionId: string }).queuedActionId,
    details.queuedActionId,
  );

  const pulled = await node.ws.request("node.pending.pull", {});
  assert.equal(pulled.ok, true, JSON.stringify(pulled.error));
  assert.equal(pulled.payload.nodeId, node.nodeId);
  assert.equal(pulled.payload.actions.length, 1);
  const [action] = pulled.payload.actions;
  assert.deepEqual(
    { id: action.id, command: action.command, paramsJSON: action.paramsJSON },
    { id: details.queuedActionId, command: "canvas.present", paramsJSON: '{"target":"panel"}' },
  );
  assert.equal(typeof action.enqueuedAtMs, "number");
  const acked = await node.ws.request("node.pending.ack", { ids: [action.id, " "] });
  assert.deepEqual(acked.payload, {
    nodeId: node.nodeId,
    ackedIds: [action.id],
    remainingCount: 0,
  });
  assert.deepEqual((await node.ws.request("node.pending.pull", {})).payload.actions, []);
  const empty = await node.ws.request("node.pending.ack", { ids: [] });
  assert.equal(empty.error?.code, "INVALID_REQUEST", "ack takes at least one id");
  // Operators cannot pull a node's queue.
  const asOp = await op.request("node.pending.pull", {});
  assert.match(String(asOp.error?.message), /unauthorized role/);
  await node.close();
});

Deno.test("node.pending.pull drops queued actions the node no longer declares", async () => {
  await using gw = await startTestGateway();
  await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  const key = await DeviceKey.create();
  const bg = () => ({ ok: false, error: { code: "NODE_BACKGROUND_UNAVAILABLE", message: "bg" } });
  const first = await FakeNode.connect(gw.url, key, bg, iosParams());
  const asked = await op.next(
    (f) => f.event === "node.pair.requested" && f.payload.nodeId === first.nodeId,
  );
  await op.request("node.pair.approve", { requestId: asked.payload.requestId });
  const res = await op.request("node.invoke", {
    nodeId: first.nodeId,
    command: "canvas.present",
    idempotencyKey: "fg-3",
  });
  assert.equal(res.error?.details?.code, "QUEUED_UNTIL_FOREGROUND");
  await first.close();
  // The app came back without canvas: the old action is not handed to it.
  const params = iosParams();
  const again = await FakeNode.connect(gw.url, key, bg, { ...params, commands: ["system.notify"] });
  const pulled = await again.ws.request("node.pending.pull", {});
  assert.equal(pulled.ok, true, JSON.stringify(pulled.error));
  assert.deepEqual(pulled.payload.actions, []);
  await again.close();
});

Deno.test("a linux node's error is not queued: only iOS foreground-only commands wait", async () => {
  await using gw = await startTestGateway({
    tweak: (s) => ({ ...s, nodes: { autoApproveLocal: true, allowCommands: ["fake.echo"] } }),
  });
  await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  const node = await approvedNode(gw, op, () => ({
    ok: false,
    error: { code: "NODE_BACKGROUND_UNAVAILABLE", message: "bg" },
  }));
  const res = await op.request("node.invoke", {
    nodeId: node.nodeId,
    command: "fake.echo",
    idempotencyKey: "fg-2",
  });
  assert.equal(res.error?.code, "INVALID_REQUEST");
  assert.deepEqual((await node.ws.request("node.pending.pull", {})).payload.actions, []);
  await node.close();
});

Deno.test("node.pending.enqueue collapses by type; node.pending.drain hands work by priority then baseline", async () => {
  await using gw = await startTestGateway();
  await using op = await RawWs.connect(gw.url, { scopes: ["operator.write"] });
  await using admin = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  const node = await approvedNode(gw, admin, () => undefined);
  const first = await node.ws.request("node.pending.drain", {});
  assert.equal(first.ok, true, JSON.stringify(first.error));
  assert.equal(first.payload.nodeId, node.nodeId);
  assert.equal(first.payload.hasMore, false);
  assert.deepEqual(
    first.payload.items.map((i: { id: string; type: string; priority: string }) => [
      i.id,
      i.type,
      i.priority,
    ]),
    [["baseline-status", "status.request", "default"]],
  );

  const loc = await op.request("node.pending.enqueue", {
    nodeId: node.nodeId,
    type: "location.request",
    expiresInMs: 60_000,
  });
  assert.equal(loc.ok, true, JSON.stringify(loc.error));
  assert.equal(loc.payload.wakeTriggered, false);
  assert.equal(loc.payload.queued.priority, "normal");
  assert.equal(loc.payload.queued.expiresAtMs - loc.payload.queued.createdAtMs, 60_000);
  const status = await op.request("node.pending.enqueue", {
    nodeId: node.nodeId,
    type: "status.request",
    priority: "high",
  });
  const dup = await op.request("node.pending.enqueue", {
    nodeId: node.nodeId,
    type: "location.request",
    priority: "high",
  });
  assert.equal(dup.payload.queued.id, loc.payload.queued.id, "one outstanding item per type");

  const one = await node.ws.request("node.pending.drain", { maxItems: 1 });
  assert.deepEqual(one.payload.items.map((i: { id: string }) => i.id), [status.payload.queued.id]);
  assert.equal(one.payload.hasMore, true);
  const rest = await node.ws.request("node.pending.drain", { maxItems: 10 });
  assert.deepEqual(rest.payload.items.map((i: { id: string }) => i.id), [
    loc.payload.queued.id,
    "baseline-status",
  ]);
  assert.equal(rest.payload.hasMore, false);
  assert.ok(rest.payload.revision > one.payload.revision || rest.payload.revision === 0);

  const unknown = await op.request("node.pending.enqueue", {
    nodeId: "nope",
    type: "status.request",
  });
  assert.equal(unknown.error?.code, "UNAVAILABLE");
  assert.deepEqual(unknown.error?.details, { code: "PAIRING_CHANGED" });
  const badType = await op.request("node.pending.enqueue", { nodeId: node.nodeId, type: "x" });
  assert.equal(badType.error?.code, "INVALID_REQUEST");
  const tooMany = await node.ws.request("node.pending.drain", { maxItems: 11 });
  assert.equal(tooMany.error?.code, "INVALID_REQUEST");
  await using reader = await RawWs.connect(gw.url, { scopes: ["operator.read"] });
  const denied = await reader.request("node.pending.enqueue", {
    nodeId: node.nodeId,
    type: "status.request",
  });
  assert.equal(denied.ok, false, "enqueue needs operator.write");
  await node.close();
});

Deno.test("node.pending.enqueue keeps work for a paired node that is offline", async () => {
  await using gw = await startTestGateway();
  await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  const node = await approvedNode(gw, op, () => undefined);
  await node.close();
  const queued = await op.request("node.pending.enqueue", {
    nodeId: node.nodeId,
    type: "location.request",
  });
  assert.equal(queued.ok, true, JSON.stringify(queued.error));
});

Deno.test("device.pair.remove drops the node's queued work", async () => {
  await using gw = await startTestGateway();
  await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  const key = await DeviceKey.create();
  const node = await FakeNode.connect(gw.url, key, () => undefined);
  await op.request("node.pending.enqueue", { nodeId: node.nodeId, type: "location.request" });
  const removed = await op.request("device.pair.remove", { deviceId: node.nodeId });
  assert.equal(removed.ok, true, JSON.stringify(removed.error));
  await node.ws.waitClosed(3000);
  // Paired again (loopback: silently); the old pairing's work is gone.
  const again = await FakeNode.connect(gw.url, key, () => undefined);
  const drained = await again.ws.request("node.pending.drain", {});
  assert.deepEqual(drained.payload.items.map((i: { id: string }) => i.id), ["baseline-status"]);
  await again.close();
});

Deno.test("PendingActions is bounded by age and count per node", () => {
  let now = 1_000_000;
  const q = new PendingActions({ now: () => now });
  for (let i = 0; i < PENDING_ACTION_MAX_PER_NODE + 5; i++) {
    q.enqueue({
      nodeId: "n",
      command: "canvas.present",
      paramsJSON: null,
      idempotencyKey: `k${i}`,
    });
  }
  const list = q.list("n");
  assert.equal(list.length, PENDING_ACTION_MAX_PER_NODE);
  assert.equal(list[0].idempotencyKey, "k5", "the oldest went first");
  now += PENDING_ACTION_TTL_MS + 1;
  assert.deepEqual(q.list("n"), []);
});

Deno.test("PendingWork drops expired items and bumps the revision", () => {
  let now = 5_000;
  const w = new PendingWork({ now: () => now });
  const a = w.enqueue("n", { type: "location.request", expiresInMs: 1_000 });
  assert.equal(a.revision, 1);
  now += 1_001;
  const d = w.drain("n");
  assert.deepEqual(d.items.map((i) => i.id), ["baseline-status"]);
  assert.equal(d.revision, 2, "expiry changed the queue");
});
