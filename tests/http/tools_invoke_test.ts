import assert from "node:assert/strict";
import { authJson, base, fetchT, startHttpGateway } from "./_http_gateway.ts";

async function invoke(
  url: string,
  body: unknown,
): Promise<
  {
    status: number;
    body: { ok: boolean; result?: unknown; error?: { type: string; message: string } };
  }
> {
  const res = await fetchT(`${url}/tools/invoke`, {
    method: "POST",
    headers: authJson(),
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

Deno.test("tools/invoke runs sessions_list and session_status", async () => {
  await using fx = await startHttpGateway();
  const url = base(fx);
  // A turn on the main session, so it exists.
  const turn = await fetchT(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { ...authJson(), "x-openclaw-session-key": "main" },
    body: JSON.stringify({ messages: [{ role: "user", content: "hello" }] }),
  });
  assert.equal(turn.status, 200);
  await turn.body?.cancel();
  const list = await invoke(url, { tool: "sessions_list", args: {} });
  assert.equal(list.status, 200, JSON.stringify(list.body));
  assert.equal(list.body.ok, true);
  assert.ok(Array.isArray((list.body.result as { content: unknown[] }).content));
  const status = await invoke(url, { tool: "session_status", sessionKey: "main" });
  assert.equal(status.status, 200, JSON.stringify(status.body));
  assert.equal(status.body.ok, true);
  assert.match(JSON.stringify(status.body.result), /agent:main:main/);
  assert.match(JSON.stringify(list.body.result), /agent:main:main/);
});

Deno.test("tools/invoke refuses host tools over HTTP with 404 not_found", async () => {
  await using fx = await startHttpGateway({ endpoints: false });
  for (
    const tool of ["read", "write", "edit", "ls", "exec", "bash", "process", "web_fetch", "nope"]
  ) {
    const r = await invoke(base(fx), { tool, args: { path: "/etc/passwd", command: "id" } });
    assert.equal(r.status, 404, tool);
    assert.deepEqual(r.body, {
      ok: false,
      error: { type: "not_found", message: `Tool not available: ${tool}` },
    });
  }
});

Deno.test("tools/invoke: gateway.tools.allow opens a host tool; the tool policy still applies", async () => {
  await using fx = await startHttpGateway({
    endpoints: false,
    extra: { gateway: { tools: { allow: ["ls"] } }, tools: { deny: ["sessions_list"] } },
  });
  const ls = await invoke(base(fx), { tool: "ls", args: { path: "." } });
  assert.equal(ls.status, 200, JSON.stringify(ls.body));
  assert.match(JSON.stringify(ls.body.result), /AGENTS\.md|SOUL\.md/);
  const denied = await invoke(base(fx), { tool: "sessions_list" });
  assert.equal(denied.status, 404, "tools.deny wins over HTTP too");
  const read = await invoke(base(fx), { tool: "read", args: { path: "SOUL.md" } });
  assert.equal(read.status, 404, "only the allowed host tool opens");
});

Deno.test("tools/invoke: 400 for a missing tool, bad args, or a tool error", async () => {
  await using fx = await startHttpGateway({
    endpoints: false,
    extra: { gateway: { tools: { allow: ["read"] } } },
  });
  const missing = await invoke(base(fx), { args: {} });
  assert.equal(missing.status, 400);
  assert.match(missing.body.error!.message, /Missing tool/);
  const badArgs = await invoke(base(fx), { tool: "sessions_list", args: [1] });
  assert.equal(badArgs.status, 400);
  assert.match(badArgs.body.error!.message, /args/);
  const toolError = await invoke(base(fx), { tool: "read", args: { path: "no-such-file.txt" } });
  assert.equal(toolError.status, 400, JSON.stringify(toolError.body));
  assert.equal(toolError.body.ok, false);
  assert.equal(toolError.body.error!.type, "tool_error");
});
