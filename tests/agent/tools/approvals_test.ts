import assert from "node:assert/strict";
import {
  ApprovalError,
  createAllowlistFileStore,
  createApprovals,
} from "../../../src/agent/approvals.ts";
import { GatewayError } from "../../../src/errors.ts";
import type { ExecApprovalRequest } from "../../../src/agent/types.ts";
import { tempWorkspace, waitFor } from "./_ctx.ts";

const req: ExecApprovalRequest = {
  command: "echo approved-run",
  cwd: "/ws",
  agentId: "main",
  sessionKey: "agent:main:main",
  runId: "run-1",
  toolCallId: "call_stub_18",
  resolvedPath: "/usr/bin/echo",
};

function recorder() {
  const events: Array<{ event: string; payload: Record<string, unknown> }> = [];
  return {
    events,
    broadcast: (event: string, payload: Record<string, unknown>) => events.push({ event, payload }),
  };
}

Deno.test("createApprovals() broadcasts the captured request shape and resolves on an operator decision", async () => {
  const rec = recorder();
  const approvals = createApprovals({ broadcast: rec.broadcast, timeoutMs: 60_000 });
  const decision = approvals.request(req);
  assert.equal(rec.events.length, 1);
  const { event, payload } = rec.events[0];
  assert.equal(event, "exec.approval.requested");
  assert.equal(payload.approvalKind, "exec");
  assert.equal(typeof payload.id, "string");
  assert.equal((payload.expiresAtMs as number) - (payload.createdAtMs as number), 60_000);
  const r = payload.request as Record<string, unknown>;
  for (
    const k of ["command", "cwd", "agentId", "sessionKey", "runId", "toolCallId", "resolvedPath"]
  ) {
    assert.equal(r[k], (req as unknown as Record<string, unknown>)[k], k);
  }
  assert.equal(r.host, "gateway");
  assert.deepEqual(r.allowedDecisions, ["allow-once", "allow-always", "deny"]);
  assert.equal(approvals.list().length, 1);

  const id = payload.id as string;
  const resolved = await approvals.resolve(id, "allow-once", "cli");
  assert.equal(resolved.id, id);
  assert.equal(await decision, "allow-once");
  assert.equal(rec.events[1].event, "exec.approval.resolved");
  assert.equal(rec.events[1].payload.decision, "allow-once");
  assert.equal(rec.events[1].payload.resolvedBy, "cli");
  assert.equal(approvals.list().length, 0);

  // A second resolve of the same id is an INVALID_REQUEST error.
  await assert.rejects(() => approvals.resolve(id, "deny"), (err: unknown) => {
    assert.ok(err instanceof ApprovalError && err instanceof GatewayError);
    assert.equal(err.code, "INVALID_REQUEST");
    assert.match(err.message, /Unknown or expired approval id/);
    return true;
  });
});

Deno.test("createApprovals() denies on expiry and on abort, and broadcasts it", async () => {
  const rec = recorder();
  const approvals = createApprovals({ broadcast: rec.broadcast, timeoutMs: 100 });
  const started = Date.now();
  assert.equal(await approvals.request(req), "deny");
  assert.ok(Date.now() - started >= 90);
  const resolved = rec.events.find((e) => e.event === "exec.approval.resolved")!;
  assert.equal(resolved.payload.decision, "deny");
  assert.equal(resolved.payload.resolvedBy, "timeout");
  await assert.rejects(
    () => approvals.resolve(resolved.payload.id as string, "allow-once"),
    ApprovalError,
  );

  const slow = createApprovals({ broadcast: rec.broadcast, timeoutMs: 60_000 });
  const ctl = new AbortController();
  const p = slow.request(req, ctl.signal);
  ctl.abort();
  assert.equal(await p, "deny");
  assert.equal(slow.list().length, 0);
});

Deno.test("createApprovals() refuses allow-always when no binary was resolved", async () => {
  const rec = recorder();
  const approvals = createApprovals({ broadcast: rec.broadcast, timeoutMs: 60_000 });
  const p = approvals.request({ ...req, resolvedPath: undefined });
  const id = rec.events[0].payload.id as string;
  await assert.rejects(
    () => approvals.resolve(id, "allow-always"),
    /Decision "allow-always" is not offered/,
  );
  await approvals.resolve(id, "deny");
  assert.equal(await p, "deny");
  approvals.stop();
});

Deno.test("allow-always persists the binary in a private file that a new instance reads", async () => {
  const ws = await tempWorkspace();
  try {
    const path = `${ws.dir}/state/exec-approvals.json`;
    const rec = recorder();
    const approvals = createApprovals({
      broadcast: rec.broadcast,
      store: createAllowlistFileStore(path),
    });
    assert.deepEqual(await approvals.allowlist("main"), []);
    const p = approvals.request(req);
    await waitFor(() => rec.events.length === 1, 2000, "request");
    await approvals.resolve(rec.events[0].payload.id as string, "allow-always");
    assert.equal(await p, "allow-always");
    assert.deepEqual(await approvals.allowlist("main"), ["/usr/bin/echo"]);
    const st = await Deno.stat(path);
    assert.equal(st.mode! & 0o777, 0o600);
    const doc = JSON.parse(await Deno.readTextFile(path));
    assert.equal(doc.agents.main.allowlist[0].pattern, "/usr/bin/echo");
    const again = createApprovals({ broadcast: () => {}, store: createAllowlistFileStore(path) });
    assert.deepEqual(await again.allowlist("main"), ["/usr/bin/echo"]);
    assert.deepEqual(await again.allowlist("other"), []);
    // A damaged file unlocks nothing.
    await Deno.writeTextFile(path, "{not json");
    const damaged = createApprovals({ broadcast: () => {}, store: createAllowlistFileStore(path) });
    assert.deepEqual(await damaged.allowlist("main"), []);
  } finally {
    await ws.cleanup();
  }
});
