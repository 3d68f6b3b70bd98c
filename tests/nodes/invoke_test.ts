import assert from "node:assert/strict";
import { startTestGateway, type TestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { DeviceKey, FakeNode, type InvokeScript } from "../_helpers/fake_node.ts";
import type { GatewaySettings } from "../../src/config/settings.ts";

const allow = (s: GatewaySettings): GatewaySettings => ({
  ...s,
  nodes: { autoApproveLocal: true, allowCommands: ["fake.echo"] },
});

const echo: InvokeScript = (req) => {
  if (req.command === "fake.fail") return undefined;
  const p = req.params as { mode?: string } | undefined;
  if (p?.mode === "error") {
    return { ok: false, error: { code: "FAKE_ERR", message: "fake failure" } };
  }
  if (p?.mode === "json") return { ok: true, payloadJSON: '{"viaJSON":true}' };
  if (p?.mode === "silent") return undefined;
  return { ok: true, payload: { echoed: req.params, command: req.command } };
};

/** An operator and a node whose commands the operator approved. */
async function setup(gw: TestGateway) {
  const op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  const node = await FakeNode.connect(gw.url, await DeviceKey.create(), echo);
  const asked = await op.nextEvent("node.pair.requested");
  assert.equal(asked.payload.nodeId, node.nodeId);
  const ok = await op.request("node.pair.approve", { requestId: asked.payload.requestId });
  assert.equal(ok.ok, true, JSON.stringify(ok.error));
  return { op, node };
}

/** Polls `pred` every 5 ms, failing after `ms`. */
async function waitFor(pred: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

let keyN = 0;
const invoke = (op: RawWs, nodeId: string, extra: Record<string, unknown> = {}) =>
  op.request("node.invoke", {
    nodeId,
    command: "fake.echo",
    idempotencyKey: `k-${++keyN}`,
    ...extra,
  });

Deno.test("node.invoke round trip: paramsJSON to the node, payload back to the operator", async () => {
  await using gw = await startTestGateway({ tweak: allow });
  const { op, node } = await setup(gw);
  await using _op = op;
  const res = await invoke(op, node.nodeId, { params: { title: "hi" } });
  assert.equal(res.ok, true, JSON.stringify(res.error));
  assert.deepEqual(res.payload, {
    ok: true,
    nodeId: node.nodeId,
    command: "fake.echo",
    payload: { echoed: { title: "hi" }, command: "fake.echo" },
    payloadJSON: null,
  });
  const req = node.requests[0];
  assert.equal(req.seq, undefined, "targeted events carry no seq");
  assert.equal(req.payload.paramsJSON, '{"title":"hi"}');
  assert.equal(req.payload.timeoutMs, 30000);
  assert.match(req.payload.idempotencyKey, /^k-/);
  const viaJson = await invoke(op, node.nodeId, { params: { mode: "json" } });
  assert.deepEqual(viaJson.payload.payload, { viaJSON: true });
  assert.equal(viaJson.payload.payloadJSON, '{"viaJSON":true}');
  await node.close();
});

Deno.test("node.invoke passes the node's error with nodeError details", async () => {
  await using gw = await startTestGateway({ tweak: allow });
  const { op, node } = await setup(gw);
  await using _op = op;
  const res = await invoke(op, node.nodeId, { params: { mode: "error" } });
  assert.deepEqual(res.error, {
    code: "INVALID_REQUEST",
    message: "fake failure",
    details: {
      nodeError: { code: "FAKE_ERR", message: "fake failure" },
      nodeCommandDispatched: true,
      code: "FAKE_ERR",
    },
  });
  await node.close();
});

Deno.test("node.invoke times out, cancels on the node, and a retry with the key dispatches again", async () => {
  await using gw = await startTestGateway({ tweak: allow });
  const { op, node } = await setup(gw);
  await using _op = op;
  const started = Date.now();
  const res = await invoke(op, node.nodeId, {
    params: { mode: "silent" },
    timeoutMs: 200,
    idempotencyKey: "same",
  });
  assert.ok(Date.now() - started < 2000);
  assert.equal(res.error?.code, "UNAVAILABLE");
  assert.equal(res.error?.message, "TIMEOUT: node invoke timed out");
  assert.deepEqual(res.error?.details, {
    nodeError: { code: "TIMEOUT", message: "node invoke timed out" },
    nodeCommandDispatched: true,
  });
  const cancel = await node.ws.nextEvent("node.invoke.cancel");
  assert.deepEqual(cancel.payload, { invokeId: node.requests[0].payload.id, nodeId: node.nodeId });
  // The failure is not replayed: the same key dispatches a fresh request.
  const retry = await invoke(op, node.nodeId, { params: { title: "2" }, idempotencyKey: "same" });
  assert.equal(retry.ok, true, JSON.stringify(retry.error));
  assert.equal(node.requests.length, 2);
  assert.notEqual(node.requests[1].payload.id, node.requests[0].payload.id);
  // A late result for the timed-out id is answered ok and ignored.
  const late = await node.ws.request("node.invoke.result", {
    id: node.requests[0].payload.id,
    nodeId: node.nodeId,
    ok: true,
  });
  assert.deepEqual(late.payload, { ok: true });
  await node.close();
});

Deno.test("a node that disconnects fails its pending invokes at once", async () => {
  await using gw = await startTestGateway({ tweak: allow });
  const { op, node } = await setup(gw);
  await using _op = op;
  const pending = invoke(op, node.nodeId, { params: { mode: "silent" }, timeoutMs: 20_000 });
  await waitFor(() => node.requests.length > 0);
  const started = Date.now();
  await node.close();
  const res = await pending;
  assert.ok(Date.now() - started < 2000, "failed long before the 20 s timeout");
  assert.equal(res.error?.code, "UNAVAILABLE");
  assert.equal((res.error?.details as { code?: string }).code, "NOT_CONNECTED");
  // Now the node is gone: not connected, nothing dispatched.
  const after = await invoke(op, node.nodeId);
  assert.equal(after.error?.message, "node not connected");
  assert.deepEqual(after.error?.details, {
    code: "NOT_CONNECTED",
    nodeError: { code: "NOT_CONNECTED", message: "node not connected" },
    nodeCommandDispatched: false,
  });
});

Deno.test("node.invoke refuses commands the policy does not allow", async () => {
  await using gw = await startTestGateway();
  const { op, node } = await setup(gw);
  await using _op = op;
  const notAllowlisted = await invoke(op, node.nodeId);
  assert.equal(notAllowlisted.error?.code, "INVALID_REQUEST");
  assert.equal(
    notAllowlisted.error?.message,
    'node command not allowed: "fake.echo" is not in the allowlist for platform "linux"',
  );
  assert.deepEqual(notAllowlisted.error?.details, {
    reason: "command not allowlisted",
    command: "fake.echo",
  });
  const run = await invoke(op, node.nodeId, { command: "system.run" });
  assert.match(run.error!.message, /"system\.run" requires explicit gateway\.nodes\.allowCommands/);
  const undeclared = await invoke(op, node.nodeId, { command: "camera.list" });
  assert.match(undeclared.error!.message, /is not declared by the node/);
  assert.equal(node.requests.length, 0, "nothing reached the node");
  // The allowlisted, declared command goes through.
  const ok = await invoke(op, node.nodeId, { command: "system.notify" });
  assert.equal(ok.ok, true, JSON.stringify(ok.error));
  await node.close();
});

Deno.test("denyCommands wins over allowCommands", async () => {
  await using gw = await startTestGateway({
    tweak: (s) => ({
      ...s,
      nodes: {
        autoApproveLocal: true,
        allowCommands: ["fake.echo", "system.run"],
        denyCommands: ["system.run"],
      },
    }),
  });
  const { op, node } = await setup(gw);
  await using _op = op;
  assert.equal((await invoke(op, node.nodeId)).ok, true);
  const run = await invoke(op, node.nodeId, { command: "system.run" });
  assert.match(run.error!.message, /denyCommands/);
  await node.close();
});

Deno.test("a duplicate idempotency key is dispatched once", async () => {
  await using gw = await startTestGateway({ tweak: allow });
  const { op, node } = await setup(gw);
  await using _op = op;
  const [a, b] = await Promise.all([
    invoke(op, node.nodeId, { params: { n: 1 }, idempotencyKey: "dup" }),
    invoke(op, node.nodeId, { params: { n: 1 }, idempotencyKey: "dup" }),
  ]);
  const c = await invoke(op, node.nodeId, { params: { n: 1 }, idempotencyKey: "dup" });
  assert.deepEqual(a.payload, b.payload);
  assert.deepEqual(a.payload, c.payload);
  assert.equal(node.requests.length, 1);
  await node.close();
});

Deno.test("only the node an invoke went to can answer it", async () => {
  await using gw = await startTestGateway({ tweak: allow });
  const { op, node } = await setup(gw);
  await using _op = op;
  const intruder = await FakeNode.connect(gw.url, await DeviceKey.create(), () => undefined);
  const pending = invoke(op, node.nodeId, { params: { mode: "silent" }, timeoutMs: 400 });
  await waitFor(() => node.requests.length > 0);
  const forged = await intruder.ws.request("node.invoke.result", {
    id: node.requests[0].payload.id,
    nodeId: node.nodeId,
    ok: true,
    payload: { forged: true },
  });
  assert.deepEqual(forged.payload, { ok: true });
  assert.equal((await pending).error?.message, "TIMEOUT: node invoke timed out");
  // And an operator cannot call the node-only method at all.
  const denied = await op.request("node.invoke.result", { id: "x", nodeId: "y", ok: true });
  assert.equal(denied.error?.message, "unauthorized role: operator");
  await intruder.close();
  await node.close();
});

Deno.test("node.list, node.describe, node.rename and node.event", async () => {
  await using gw = await startTestGateway({ tweak: allow });
  const { op, node } = await setup(gw);
  await using _op = op;
  const list = await op.request("node.list", {});
  assert.equal(list.payload.nodes.length, 1);
  const info = list.payload.nodes[0];
  assert.equal(info.nodeId, node.nodeId);
  assert.equal(info.connected, true);
  assert.equal(info.paired, true);
  assert.equal(info.clientId, "node-host");
  assert.deepEqual(info.caps, ["system"]);
  // Declared system.run is not effective (not allowed); fake.echo is (allowCommands).
  assert.deepEqual(info.commands, ["fake.echo", "system.notify"]);
  assert.deepEqual(info.permissions, { "system.notify": true });
  const renamed = await op.request("node.rename", { nodeId: node.nodeId, displayName: "desk" });
  assert.deepEqual(renamed.payload, { nodeId: node.nodeId, displayName: "desk" });
  const described = await op.request("node.describe", { nodeId: node.nodeId });
  assert.equal(described.payload.displayName, "desk");
  assert.equal(typeof described.payload.ts, "number");
  const unknown = await op.request("node.describe", { nodeId: "nope" });
  assert.match(unknown.error!.message, /unknown nodeId "nope"/);
  const ev = await node.ws.request("node.event", { event: "fake.custom", payload: { a: 1 } });
  assert.deepEqual(ev.payload, {
    ok: true,
    event: "fake.custom",
    handled: false,
    reason: "unsupported_event",
  });
  await node.close();
  // Offline, still paired.
  let offline;
  for (let i = 0; i < 100; i++) {
    offline = (await op.request("node.list", {})).payload.nodes[0];
    if (!offline.connected) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(offline.connected, false);
  assert.equal(offline.displayName, "desk");
});

Deno.test("a paired node shows in presence under its device id, and leaves it on close", async () => {
  await using gw = await startTestGateway({ tweak: allow });
  const { op, node } = await setup(gw);
  await using _op = op;
  const row = async () =>
    ((await op.request("system-presence", {})).payload as {
      deviceId?: string;
      reason?: string;
      instanceId?: string;
      text?: string;
    }[])
      .find((r) => r.deviceId === node.nodeId);
  const seen = await row();
  assert.equal(seen?.instanceId, node.nodeId);
  assert.equal(seen?.text, "Node: fake-node · mode node");
  await node.close();
  let gone: Awaited<ReturnType<typeof row>> = seen;
  const end = Date.now() + 3000;
  while (gone?.reason !== "disconnect" && gone !== undefined && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 20));
    gone = await row();
  }
  assert.ok(gone === undefined || gone.reason === "disconnect");
});

Deno.test("a node's commands are not invokable until an operator approves them", async () => {
  await using gw = await startTestGateway({ tweak: allow });
  await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
  const key = await DeviceKey.create();
  const node = await FakeNode.connect(gw.url, key, echo);
  const asked = await op.nextEvent("node.pair.requested");
  // The surface asked for: declared commands the policy allows (system.run is not).
  assert.deepEqual(asked.payload.commands, ["fake.echo", "system.notify"]);
  assert.equal(asked.payload.silent, true);
  const before = await invoke(op, node.nodeId);
  assert.equal(before.error?.code, "UNAVAILABLE");
  assert.equal((before.error as { retryable?: boolean }).retryable, true);
  assert.equal((before.error?.details as { code?: string }).code, "PAIRING_CHANGED");
  assert.equal(node.requests.length, 0);
  const listed = (await op.request("node.list", {})).payload.nodes[0];
  assert.equal(listed.approvalState, "pending-approval");
  assert.equal(listed.pendingRequestId, asked.payload.requestId);
  assert.deepEqual(listed.commands, []);

  await op.request("node.pair.approve", { requestId: asked.payload.requestId });
  // The node hears about its approval, and the commands are live without a reconnect.
  assert.equal((await node.ws.nextEvent("node.pair.resolved")).payload.decision, "approved");
  const after = await invoke(op, node.nodeId);
  assert.equal(after.ok, true, JSON.stringify(after.error));
  const approved = (await op.request("node.list", {})).payload.nodes[0];
  assert.equal(approved.approvalState, "approved");
  assert.deepEqual(approved.commands, ["fake.echo", "system.notify"]);
  await node.close();

  // Reconnecting with the same surface asks nothing new.
  const again = await FakeNode.connect(gw.url, key, echo);
  assert.equal((await invoke(op, again.nodeId)).ok, true);
  assert.equal(op.events("node.pair.requested").length, 1);
  await again.close();
});

Deno.test("node.invoke refuses an idempotency key reused for another command or params", async () => {
  await using gw = await startTestGateway({ tweak: allow });
  const { op, node } = await setup(gw);
  await using _op = op;
  const first = await invoke(op, node.nodeId, { params: { n: 1 }, idempotencyKey: "reused" });
  assert.equal(first.ok, true, JSON.stringify(first.error));
  const otherCommand = await invoke(op, node.nodeId, {
    command: "system.notify",
    params: { n: 1 },
    idempotencyKey: "reused",
  });
  assert.equal(otherCommand.ok, false, "another command must not get fake.echo's result");
  assert.equal(otherCommand.error?.code, "INVALID_REQUEST");
  assert.match(otherCommand.error!.message, /idempotencyKey "reused" was already used.*new/);
  const otherParams = await invoke(op, node.nodeId, { params: { n: 2 }, idempotencyKey: "reused" });
  assert.equal(otherParams.error?.code, "INVALID_REQUEST");
  assert.deepEqual(otherParams.error?.details, { code: "IDEMPOTENCY_KEY_REUSED" });
  // The honest retry still replays, and nothing ran twice.
  const retry = await invoke(op, node.nodeId, { params: { n: 1 }, idempotencyKey: "reused" });
  assert.deepEqual(retry.payload, first.payload);
  assert.equal(node.requests.length, 1);
  await node.close();
});
