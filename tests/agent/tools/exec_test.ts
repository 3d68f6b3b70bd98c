import assert from "node:assert/strict";
import { createExecTool } from "../../../src/agent/tools/exec.ts";
import { createProcessTool } from "../../../src/agent/tools/process.ts";
import { createProcessRegistry } from "../../../src/agent/tools/process_registry.ts";
import { execSettings } from "../../../src/agent/tools/config.ts";
import { exists, sleep, tempWorkspace, testContext, text, waitFor, within } from "./_ctx.ts";

function setup() {
  const processes = createProcessRegistry();
  const exec = createExecTool({
    // A loaded CI machine can take seconds to start a login shell: only the
    // background test yields (with its own yieldMs).
    settings: { ...execSettings({}), yieldMs: 60_000 },
    processes,
    updateThrottleMs: 50,
  });
  const proc = createProcessTool(processes);
  return { processes, exec, proc };
}

Deno.test("exec() runs a command in the workspace and returns its output", async () => {
  const ws = await tempWorkspace();
  const { exec, processes } = setup();
  try {
    const ctx = testContext(ws.dir);
    const r = await exec.execute({ command: "echo hi-from-exec; pwd; echo err >&2" }, ctx);
    assert.equal(r.isError, undefined);
    assert.equal(text(r), `hi-from-exec\n${ws.dir}\nerr`);
    const d = r.details!;
    assert.equal(d.status, "completed");
    assert.equal(d.exitCode, 0);
    assert.equal(d.exitReason, "exit");
    assert.equal(d.cwd, ws.dir);
    assert.equal(exec.commandBearing, true);
    assert.equal(exec.title?.({ command: "echo hi" }), "Exec print text");
    // env and workdir
    await Deno.mkdir(`${ws.dir}/sub`);
    const r2 = await exec.execute({
      command: "echo $FOO; pwd",
      workdir: "sub",
      env: { FOO: "bar" },
    }, ctx);
    assert.equal(text(r2), `bar\n${ws.dir}/sub`);
    const bad = await exec.execute({ command: "true", workdir: "missing" }, ctx);
    assert.match(text(bad), /Working directory .*missing does not exist/);
  } finally {
    await processes.stop();
    await ws.cleanup();
  }
});

Deno.test("exec() strips TELEGRAM_BOT_TOKEN and any *_TOKEN, *_SECRET*, *_PASSWORD, *_KEY from the child env", async () => {
  const secrets: Record<string, string> = {
    TELEGRAM_BOT_TOKEN: "123456:SECRET-BOT-TOKEN",
    OPENCLAW_GATEWAY_TOKEN: "gw-secret-token",
    OPENCLAW_GATEWAY_PASSWORD: "gw-secret-password",
    OPENAI_API_KEY: "sk-secret-openai",
    GITHUB_TOKEN: "ghp-secret",
    AWS_SECRET_ACCESS_KEY: "aws-secret",
    DB_PASSWORD: "db-secret",
  };
  for (const [k, v] of Object.entries(secrets)) Deno.env.set(k, v);
  Deno.env.set("OPENCLAW_TEST_PLAIN", "visible");
  const ws = await tempWorkspace();
  const { exec, processes } = setup();
  try {
    const names = Object.keys(secrets).map((k) => `${k}=$${k}`).join(" ");
    const r = await exec.execute(
      { command: `echo ${names} plain=$OPENCLAW_TEST_PLAIN; env` },
      testContext(ws.dir),
    );
    assert.equal(r.isError, undefined, text(r));
    assert.match(text(r), /plain=visible/);
    for (const v of Object.values(secrets)) assert.ok(!text(r).includes(v), `${v} leaked`);
    const passed = await exec.execute(
      { command: "echo $GITHUB_TOKEN", env: { GITHUB_TOKEN: "given-on-purpose" } },
      testContext(ws.dir),
    );
    assert.equal(text(passed), "given-on-purpose", "an explicit env value still reaches the child");
  } finally {
    for (const k of [...Object.keys(secrets), "OPENCLAW_TEST_PLAIN"]) Deno.env.delete(k);
    await processes.stop();
    await ws.cleanup();
  }
});

Deno.test("exec() reports a non-zero exit as an error with the output", async () => {
  const ws = await tempWorkspace();
  const { exec, processes } = setup();
  try {
    const r = await exec.execute({ command: "echo partial; exit 3" }, testContext(ws.dir));
    assert.equal(r.isError, true);
    assert.equal(text(r), "partial\n\n(Command exited with code 3)");
    assert.equal(r.details!.exitCode, 3);
    assert.equal(r.details!.status, "failed");
  } finally {
    await processes.stop();
    await ws.cleanup();
  }
});

Deno.test("exec() streams partial output through onUpdate", async () => {
  const ws = await tempWorkspace();
  const { exec, processes } = setup();
  try {
    const ctx = testContext(ws.dir);
    const r = await exec.execute({ command: "echo one; sleep 0.3; echo two" }, ctx);
    assert.equal(text(r), "one\ntwo");
    assert.ok(ctx.updates.length >= 2, `got ${ctx.updates.length} updates`);
    assert.equal(text(ctx.updates[0]), "one\n");
    assert.equal(ctx.updates[0].details!.status, "running");
    assert.equal(typeof ctx.updates[0].details!.pid, "number");
  } finally {
    await processes.stop();
    await ws.cleanup();
  }
});

Deno.test("exec() kills the whole process group on timeout", async () => {
  const ws = await tempWorkspace();
  const { exec, processes } = setup();
  try {
    const started = Date.now();
    // The grandchild would write the marker after 2 s if it survived the kill.
    const r = await within(
      exec.execute(
        { command: "(sleep 2; touch marker) & sleep 30", timeoutSeconds: 0.5 },
        testContext(ws.dir),
      ),
      5000,
      "exec with a 0.5 s timeout",
    );
    assert.ok(Date.now() - started < 5000);
    assert.equal(r.isError, true);
    assert.equal(r.details!.exitReason, "timeout");
    assert.match(text(r), /Command timed out and was killed/);
    await sleep(2500);
    assert.equal(await exists(`${ws.dir}/marker`), false);
  } finally {
    await processes.stop();
    await ws.cleanup();
  }
});

Deno.test("exec() stops the command when the run is aborted", async () => {
  const ws = await tempWorkspace();
  const { exec, processes } = setup();
  try {
    const ctx = testContext(ws.dir);
    const started = Date.now();
    const pending = exec.execute({ command: "echo begun; sleep 30; touch marker" }, ctx);
    await waitFor(() => ctx.updates.length > 0, 5000, "first output");
    ctx.abort();
    const r = await within(pending, 5000, "exec after abort");
    assert.ok(Date.now() - started < 5000);
    assert.equal(r.isError, true);
    assert.equal(r.details!.exitReason, "aborted");
    assert.equal(text(r), "begun\n\n(Command aborted)");
    assert.equal(await exists(`${ws.dir}/marker`), false);
  } finally {
    await processes.stop();
    await ws.cleanup();
  }
});

Deno.test("exec() caps the output it keeps and says so", async () => {
  const ws = await tempWorkspace();
  const processes = createProcessRegistry();
  const exec = createExecTool({
    settings: { ...execSettings({}), maxOutputChars: 1000 },
    processes,
  });
  try {
    const r = await exec.execute({ command: "seq 1 20000" }, testContext(ws.dir));
    const t = text(r);
    assert.match(t, /^\[output truncated: showing the last \d+ of 108894 characters\]\n/);
    assert.ok(t.length < 1400);
    assert.ok(t.endsWith("\n20000"));
  } finally {
    await processes.stop();
    await ws.cleanup();
  }
});

Deno.test("exec() moves a slow command to the background after yieldMs; process polls, logs, writes, kills", async () => {
  const ws = await tempWorkspace();
  const { exec, proc, processes } = setup();
  try {
    const ctx = testContext(ws.dir);
    const r = await exec.execute({ command: "echo ready; cat; echo after-eof", yieldMs: 300 }, ctx);
    assert.equal(r.isError, undefined);
    assert.equal(r.details!.status, "running");
    const id = r.details!.sessionId as string;
    assert.match(text(r), new RegExp(`Command still running \\(session ${id}`));
    const list = await proc.execute({ action: "list" }, ctx);
    assert.match(text(list), new RegExp(`^${id} running pid=`));
    // Other sessions do not see it.
    const other = await proc.execute(
      { action: "poll", sessionId: id },
      testContext(ws.dir, { sessionKey: "agent:main:other" }),
    );
    assert.equal(other.isError, true);

    const p1 = await proc.execute({ action: "poll", sessionId: id, timeout: 10_000 }, ctx);
    assert.match(text(p1), /^ready\n/);
    await proc.execute({ action: "write", sessionId: id, data: "typed\n", eof: true }, ctx);
    const p2 = await proc.execute({ action: "poll", sessionId: id, timeout: 3000 }, ctx);
    await waitFor(
      async () => {
        const p = await proc.execute({ action: "poll", sessionId: id, timeout: 500 }, ctx);
        return p.details!.status !== "running";
      },
      5000,
      "exit after eof",
    );
    const log = await proc.execute({ action: "log", sessionId: id }, ctx);
    assert.equal(text(log), "ready\ntyped\nafter-eof\n");
    assert.ok(text(p2).length > 0);
    const rm = await proc.execute({ action: "remove", sessionId: id }, ctx);
    assert.equal(text(rm), `Removed process ${id}.`);
    assert.equal(text(await proc.execute({ action: "list" }, ctx)), "No background processes.");

    // background:true returns at once; kill ends it.
    const b = await exec.execute({ command: "sleep 30; touch marker", background: true }, ctx);
    const bid = b.details!.sessionId as string;
    const k = await proc.execute({ action: "kill", sessionId: bid }, ctx);
    assert.match(text(k), new RegExp(`Process ${bid} killed`));
    assert.equal(await exists(`${ws.dir}/marker`), false);
  } finally {
    await processes.stop();
    await ws.cleanup();
  }
});

Deno.test("process registry stop() kills background commands", async () => {
  const ws = await tempWorkspace();
  const { exec, processes } = setup();
  try {
    const ctx = testContext(ws.dir);
    await exec.execute({ command: "sleep 1; touch marker", background: true }, ctx);
    await processes.stop();
    await sleep(1300);
    assert.equal(await exists(`${ws.dir}/marker`), false);
  } finally {
    await ws.cleanup();
  }
});

Deno.test("exec() does not hand the gateway's credentials to commands", async () => {
  const ws = await tempWorkspace();
  const { exec, processes } = setup();
  Deno.env.set("ZZ_TOOLS_TEST_API_KEY", "sk-should-not-leak");
  try {
    const r = await exec.execute(
      { command: 'echo "${ZZ_TOOLS_TEST_API_KEY:-none} $HOME_SET"', env: { HOME_SET: "yes" } },
      testContext(ws.dir),
    );
    assert.equal(text(r), "none yes");
    const explicit = await exec.execute(
      { command: "echo $ZZ_TOOLS_TEST_API_KEY", env: { ZZ_TOOLS_TEST_API_KEY: "given" } },
      testContext(ws.dir),
    );
    assert.equal(text(explicit), "given");
  } finally {
    Deno.env.delete("ZZ_TOOLS_TEST_API_KEY");
    await processes.stop();
    await ws.cleanup();
  }
});
