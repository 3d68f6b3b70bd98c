import assert from "node:assert/strict";
import { createExecTool } from "../../../src/agent/tools/exec.ts";
import { createProcessRegistry } from "../../../src/agent/tools/process_registry.ts";
import { execSettings, type ToolsConfig } from "../../../src/agent/tools/config.ts";
import {
  analyzeCommand,
  matchesPattern,
  splitCommand,
} from "../../../src/agent/tools/exec_policy.ts";
import { createAllowlistFileStore, createApprovals } from "../../../src/agent/approvals.ts";
import type { ApprovalDecision } from "../../../src/agent/types.ts";
import { exists, tempWorkspace, testContext, text, waitFor } from "./_ctx.ts";

function execWith(
  exec: NonNullable<ToolsConfig["exec"]>,
  approved?: (a: string) => Promise<readonly string[]>,
) {
  const processes = createProcessRegistry();
  return {
    processes,
    tool: createExecTool({
      settings: execSettings({ exec }),
      processes,
      approvedBinaries: approved,
    }),
  };
}

Deno.test("splitCommand() splits on control operators outside quotes and flags substitution", () => {
  assert.deepEqual(splitCommand("ls -la && echo 'a;b' | wc -l; FOO=1 env").parts, [
    ["ls", "-la"],
    ["echo", "a;b"],
    ["wc", "-l"],
    ["FOO=1", "env"],
  ]);
  assert.deepEqual(splitCommand("echo hi 2>&1").parts, [["echo", "hi"]]);
  assert.deepEqual(splitCommand("echo hi 2>&1").redirects, [[{ fd: "2", op: ">&", target: "1" }]]);
  assert.equal(splitCommand("echo $(rm -rf /)").opaque, "command substitution");
  assert.equal(splitCommand("echo `id`").opaque, "command substitution");
  assert.equal(splitCommand("echo '$(not)'").opaque, undefined);
});

Deno.test("analyzeCommand() resolves each program through PATH", async () => {
  const a = await analyzeCommand("FOO=1 echo hi | cat", "/", Deno.env.get("PATH"));
  assert.equal(a.opaque, undefined);
  assert.equal(a.segments.length, 2);
  assert.match(a.segments[0].resolvedPath!, /\/echo$/);
  assert.ok(matchesPattern(a.segments[0].resolvedPath!, "echo"));
  assert.ok(matchesPattern("/usr/bin/echo", "/usr/bin/*"));
  assert.ok(!matchesPattern("/usr/bin/echo", "/usr/local/bin/*"));
  const quiet = await analyzeCommand("echo hi 2>&1 >/dev/null", "/", Deno.env.get("PATH"));
  assert.equal(quiet.opaque, undefined);
  for (const line of ["echo x > f", "echo x >>f", "echo x 2> log", "echo x &> f"]) {
    const a = await analyzeCommand(line, "/", Deno.env.get("PATH"));
    assert.match(a.opaque ?? "", /output redirection to "(f|log)"/, line);
  }
  const kw = await analyzeCommand("for i in 1; do rm x; done", "/", Deno.env.get("PATH"));
  assert.match(kw.opaque!, /shell keyword/);
});

Deno.test("splitCommand() separates unquoted redirections from words, as bash does", () => {
  assert.deepEqual(splitCommand("echo hi>/f").parts, [["echo", "hi"]]);
  assert.deepEqual(splitCommand("echo hi>/f").redirects, [[{ op: ">", target: "/f" }]]);
  assert.deepEqual(splitCommand("echo 'a'>/f").redirects, [[{ op: ">", target: "/f" }]]);
  assert.deepEqual(splitCommand("echo x 1<>/f").redirects, [[{ fd: "1", op: "<>", target: "/f" }]]);
  assert.deepEqual(splitCommand("echo x &>>/f").redirects, [[{ op: "&>>", target: "/f" }]]);
  assert.deepEqual(splitCommand("echo 'a>b' a\\>b").parts, [["echo", "a>b", "a>b"]]);
  assert.deepEqual(splitCommand("echo '2'>f").parts, [["echo", "2"]]);
});

Deno.test("analyzeCommand() treats every redirection that opens a file for writing as opaque", async () => {
  const path = Deno.env.get("PATH");
  for (
    const line of [
      "echo hi>/tmp/f",
      "echo 'a'>/tmp/f",
      "echo hi>>/tmp/f",
      "echo hi >>/tmp/f",
      "echo PWNED 1<>/tmp/f",
      "echo hi <>/tmp/f",
      "echo hi >|/tmp/f",
      "echo hi >&/tmp/f",
      "echo hi &>>/tmp/f",
      "echo hi {fd}>/tmp/f",
    ]
  ) {
    const a = await analyzeCommand(line, "/", path);
    assert.equal(a.opaque, `output redirection to "/tmp/f"`, line);
  }
  for (const line of ["echo hi 2>&1", "echo hi >&2", "echo hi >&-", "echo hi </etc/hostname"]) {
    assert.equal((await analyzeCommand(line, "/", path)).opaque, undefined, line);
  }
  assert.match((await analyzeCommand("echo hi >", "/", path)).opaque!, /without a target/);
});

Deno.test("analyzeCommand() treats inline PATH, LD_* and shell start-up assignments as opaque", async () => {
  const path = Deno.env.get("PATH");
  for (
    const [line, name] of [
      ["PATH=/tmp/x ls", "PATH"],
      ["PATH=/tmp/x; ls", "PATH"],
      ["FOO=1 LD_PRELOAD=/x.so echo hi", "LD_PRELOAD"],
      ["DYLD_INSERT_LIBRARIES=/x echo", "DYLD_INSERT_LIBRARIES"],
      ["BASH_ENV=/x echo", "BASH_ENV"],
      ["ENV=/x echo", "ENV"],
      ["PATH+=:/x echo", "PATH"],
    ]
  ) {
    assert.equal((await analyzeCommand(line, "/", path)).opaque, `an inline ${name}= assignment`);
  }
  assert.equal((await analyzeCommand("FOO=1 echo hi", "/", path)).opaque, undefined);
});

Deno.test("exec mode allowlist: an allowlisted echo cannot overwrite a file outside the workspace", async () => {
  const ws = await tempWorkspace();
  const outside = await Deno.makeTempDir();
  const victim = `${outside}/victim.rc`;
  await Deno.writeTextFile(victim, "original\n");
  const { tool, processes } = execWith({ mode: "allowlist", allowlist: ["echo"] });
  try {
    const ctx = testContext(ws.dir);
    for (
      const command of [
        `echo PWNED 1<>${victim}`,
        `echo PWNED>${victim}`,
        `echo 'PWNED'>${victim}`,
        `echo PWNED>>${victim}`,
      ]
    ) {
      const r = await tool.execute({ command }, ctx);
      assert.equal(r.isError, true, command);
      assert.match(text(r), /Exec refused: the command uses output redirection/, command);
    }
    assert.equal(await Deno.readTextFile(victim), "original\n");
  } finally {
    await processes.stop();
    await ws.cleanup();
    await Deno.remove(outside, { recursive: true });
  }
});

Deno.test("exec mode deny refuses and runs nothing", async () => {
  const ws = await tempWorkspace();
  const { tool, processes } = execWith({ mode: "deny" });
  try {
    const r = await tool.execute({ command: "touch marker" }, testContext(ws.dir));
    assert.equal(r.isError, true);
    assert.match(text(r), /Exec is disabled \(tools\.exec\.mode is "deny"\)/);
    assert.equal(await exists(`${ws.dir}/marker`), false);
  } finally {
    await processes.stop();
    await ws.cleanup();
  }
});

Deno.test("exec mode allowlist runs allowlisted binaries only", async () => {
  const ws = await tempWorkspace();
  const { tool, processes } = execWith({ mode: "allowlist", allowlist: ["echo", "/usr/bin/cat"] });
  try {
    const ctx = testContext(ws.dir);
    const ok = await tool.execute({ command: "echo allowed | cat" }, ctx);
    assert.equal(text(ok), "allowed");
    const refused = await tool.execute({ command: "echo x; touch marker" }, ctx);
    assert.equal(refused.isError, true);
    assert.match(text(refused), /Exec refused: "touch" \(\/.*touch\) is not allowlisted/);
    const redirect = await tool.execute({ command: "echo pwned > marker" }, ctx);
    assert.match(text(redirect), /output redirection to "marker"/);
    const sneaky = await tool.execute({ command: "echo $(touch marker)" }, ctx);
    assert.match(text(sneaky), /the command uses command substitution/);
    const env = await tool.execute({ command: "echo hi", env: { LD_PRELOAD: "/tmp/x.so" } }, ctx);
    assert.match(text(env), /env LD_PRELOAD is not allowed/);
    assert.equal(await exists(`${ws.dir}/marker`), false);
    assert.equal(ctx.approvals.length, 0, "allowlist mode never asks");
  } finally {
    await processes.stop();
    await ws.cleanup();
  }
});

Deno.test("exec mode ask waits for approval and runs nothing before allow", async () => {
  const ws = await tempWorkspace();
  const { tool, processes } = execWith({ mode: "ask" });
  try {
    let release!: (d: ApprovalDecision) => void;
    const ctx = testContext(ws.dir, { approve: () => new Promise((r) => release = r) });
    const pending = tool.execute({ command: "touch marker && echo approved-run" }, ctx);
    await waitFor(() => ctx.approvals.length === 1, 5000, "approval request");
    const req = ctx.approvals[0];
    assert.equal(req.command, "touch marker && echo approved-run");
    assert.equal(req.cwd, ws.dir);
    assert.equal(req.toolCallId, "call_1");
    assert.match(req.resolvedPath!, /\/touch$/);
    assert.equal(await exists(`${ws.dir}/marker`), false, "nothing ran before the decision");
    release("allow-once");
    const r = await pending;
    assert.equal(text(r), "approved-run");
    assert.equal(await exists(`${ws.dir}/marker`), true);
  } finally {
    await processes.stop();
    await ws.cleanup();
  }
});

Deno.test("exec mode ask: deny and expiry return an error and run nothing", async () => {
  const ws = await tempWorkspace();
  const { processes } = execWith({ mode: "ask" });
  const events: string[] = [];
  const approvals = createApprovals({ broadcast: (e) => events.push(e), timeoutMs: 150 });
  const tool = createExecTool({ settings: execSettings({ exec: { mode: "ask" } }), processes });
  try {
    const denied = await tool.execute(
      { command: "touch marker" },
      testContext(ws.dir, { approve: () => Promise.resolve("deny") }),
    );
    assert.equal(denied.isError, true);
    assert.match(text(denied), /Exec denied: .*Nothing ran: touch marker/);
    const started = Date.now();
    const expired = await tool.execute(
      { command: "touch marker" },
      testContext(ws.dir, { approve: (r) => approvals.request(r) }),
    );
    assert.ok(Date.now() - started >= 140);
    assert.equal(expired.isError, true);
    assert.match(text(expired), /approval request expired/);
    assert.deepEqual(events, ["exec.approval.requested", "exec.approval.resolved"]);
    assert.equal(await exists(`${ws.dir}/marker`), false);
  } finally {
    await processes.stop();
    await ws.cleanup();
  }
});

Deno.test("exec mode ask: allow-always is remembered and the next call does not ask", async () => {
  const ws = await tempWorkspace();
  const events: Array<{ event: string; payload: Record<string, unknown> }> = [];
  const approvals = createApprovals({
    broadcast: (event, payload) => events.push({ event, payload }),
    store: createAllowlistFileStore(`${ws.dir}/exec-approvals.json`),
  });
  const { tool, processes } = execWith({ mode: "ask" }, approvals.allowlist);
  try {
    const ctx = testContext(ws.dir, { approve: (r) => approvals.request(r) });
    const first = tool.execute({ command: "echo once" }, ctx);
    await waitFor(() => events.length === 1, 5000, "approval request");
    await approvals.resolve(events[0].payload.id as string, "allow-always", "cli");
    assert.equal(text(await first), "once");
    const second = await tool.execute({ command: "echo twice" }, ctx);
    assert.equal(text(second), "twice");
    assert.equal(ctx.approvals.length, 1, "asked only the first time");
  } finally {
    approvals.stop();
    await processes.stop();
    await ws.cleanup();
  }
});
