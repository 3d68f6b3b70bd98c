import assert from "node:assert/strict";
import {
  buildSystemPrompt,
  projectUserText,
  runtimeLine,
  stamp,
  truncateForPrompt,
} from "../../src/agent/prompt.ts";
import { createPrompt } from "../../src/agent/prompt_engine.ts";
import {
  ensureWorkspace,
  loadWorkspaceFiles,
  type WorkspaceFile,
} from "../../src/agent/workspace.ts";
import type { ResolvedModel } from "../../src/agent/types.ts";

// The oversized SOUL.md of captures/system-prompt-truncation-test.txt (36027 characters).
function captureSoul(): string {
  const lines = ["# SOUL.md", "SOULSTART"];
  for (let i = 0; i < 800; i++) {
    lines.push(`filler line ${String(i).padStart(5, "0")} abcdefghijklmnopqrstuvwxyz`);
  }
  lines.push("SOULEND");
  return lines.join("\n") + "\n";
}

const file = (name: string, content?: string): WorkspaceFile => ({
  name,
  path: `/ws/${name}`,
  content,
  rawChars: content?.length ?? 0,
});

const base = {
  workspace: "/ws",
  tools: [
    { name: "read", description: "Read files. Long details follow here." },
    { name: "exec", description: "Run shell; pty for TTY CLIs" },
  ],
  modelRef: "stub/stub-model",
  now: new Date("2026-11-30T01:51:53Z"),
  timeZone: "UTC",
};

Deno.test("truncateForPrompt() keeps 14920+4973 of the captured 36027-char SOUL.md with the exact markers", () => {
  const soul = captureSoul();
  assert.equal(soul.trimEnd().length, 36027);
  const { text, truncated } = truncateForPrompt(soul, "SOUL.md", 20000);
  assert.equal(truncated, true);
  assert.equal(text.length, 19999, "as in the capture");
  const marker = "\n\n[...truncated, read SOUL.md for full content...]\n" +
    "…(truncated SOUL.md: kept 14920+4973 chars of 36027)…\n\n";
  assert.equal(text, soul.slice(0, 14920) + marker + soul.trimEnd().slice(-4973));
  assert.ok(text.startsWith("# SOUL.md\nSOULSTART\n"));
  assert.ok(text.endsWith("SOULEND"));
  assert.deepEqual(truncateForPrompt("short\n\n", "X.md", 100), {
    text: "short",
    truncated: false,
  });
});

Deno.test("buildSystemPrompt() lays out identity, tools, workspace, files and runtime like the capture", () => {
  const { text, report } = buildSystemPrompt({
    ...base,
    channel: "webchat",
    extraSystemPrompt: "Answer in French.",
    files: [
      file("AGENTS.md", "# AGENTS.md\nrules\n"),
      file("SOUL.md", "# SOUL.md\nbe kind"),
      file("TOOLS.md"),
      file("IDENTITY.md", "# IDENTITY.md"),
      file("USER.md", "# USER.md"),
      file("BOOTSTRAP.md", "# BOOTSTRAP.md\nhello"),
      file("MEMORY.md", "# MEMORY.md\nMEMORYMARKER durable fact"),
    ],
  });
  const lines = text.split("\n");
  assert.equal(lines[0], "<!-- openclaw:attempt:STABLE -->");
  assert.equal(lines[1], "You are a personal assistant running inside OpenClaw.");
  assert.equal(lines[2], "## Tooling");
  assert.ok(lines.includes("- read: Read files"));
  assert.ok(lines.includes("- exec: Run shell; pty for TTY CLIs"));
  assert.ok(lines.includes("Working directory: /ws"));
  assert.ok(lines.includes("## Bootstrap Pending"));
  assert.ok(!text.includes("Bootstrap Context Notice"), "nothing was truncated");
  const order = ["AGENTS.md", "SOUL.md", "IDENTITY.md", "USER.md", "BOOTSTRAP.md", "MEMORY.md"]
    .map((n) => text.indexOf(`## /ws/${n}\n`));
  assert.ok(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1])), `order ${order}`);
  assert.ok(!text.includes("/ws/TOOLS.md"), "an absent optional file is left out");
  assert.ok(text.includes(
    "# Project Context\nLoaded project context:\nSOUL.md: persona/tone. Follow it unless higher-priority instructions override.\nMEMORY.md:",
  ));
  assert.ok(
    text.includes(
      "## /ws/MEMORY.md\n# MEMORY.md\nMEMORYMARKER durable fact\n<!-- /openclaw:attempt:STABLE -->\n<!-- openclaw:attempt:DYNAMIC -->\n## Temporal Context\nCurrent date: 2026-11-30\nTime zone: UTC\n",
    ),
  );
  assert.ok(text.includes("You are in a WebChat direct conversation."));
  assert.ok(text.includes("## Extra Context\nAnswer in French."));
  assert.ok(text.includes("Current model identity: stub/stub-model."));
  assert.ok(text.endsWith("<!-- /openclaw:attempt:DYNAMIC -->"));
  assert.equal(report.systemPrompt.chars, text.length);
  assert.equal(report.bootstrapMaxChars, 20000);
  assert.equal(report.bootstrapTotalMaxChars, 60000);
  assert.deepEqual(report.injectedWorkspaceFiles.map((f) => f.name), [
    "AGENTS.md",
    "SOUL.md",
    "IDENTITY.md",
    "USER.md",
    "BOOTSTRAP.md",
    "MEMORY.md",
  ]);
  assert.ok(report.systemPrompt.projectContextChars > 0);
});

Deno.test("buildSystemPrompt() truncates an oversized AGENTS.md and adds the Bootstrap Context Notice", () => {
  const big = "# AGENTS.md\n" + "a".repeat(30000) + "\nAGENTS-END";
  const { text, report } = buildSystemPrompt({
    ...base,
    files: [file("AGENTS.md", big), file("SOUL.md", "s"), file("IDENTITY.md", "i")],
  });
  assert.ok(text.includes(
    "## Bootstrap Context Notice\n[Bootstrap truncation warning]\nSome workspace bootstrap files were truncated before Project Context injection.\nTreat Project Context as partial and read the relevant files directly if details seem missing.\n",
  ));
  assert.ok(text.includes("[...truncated, read AGENTS.md for full content...]"));
  assert.ok(text.includes("AGENTS-END"), "the tail is kept");
  const a = report.injectedWorkspaceFiles[0];
  assert.equal(a.truncated, true);
  assert.equal(a.rawChars, big.length);
  assert.ok(a.injectedChars <= 20000);
});

Deno.test("buildSystemPrompt() caps USER.md at 4000 and all files at the total budget", () => {
  const { report } = buildSystemPrompt({
    ...base,
    bootstrapTotalMaxChars: 45000,
    files: [
      file("AGENTS.md", "a".repeat(25000)),
      file("SOUL.md", "s".repeat(25000)),
      file("IDENTITY.md", "i".repeat(25000)),
      file("USER.md", "u".repeat(9000)),
    ],
  });
  const [a, s, i, u] = report.injectedWorkspaceFiles;
  assert.ok(a.injectedChars <= 20000 && s.injectedChars <= 20000);
  assert.ok(i.injectedChars <= 45000 - a.injectedChars - s.injectedChars);
  assert.ok(a.injectedChars + s.injectedChars + i.injectedChars + u.injectedChars <= 45000);
  assert.equal(u.truncated, true);
  const userOnly = buildSystemPrompt({ ...base, files: [file("USER.md", "u".repeat(9000))] });
  const user = userOnly.report.injectedWorkspaceFiles[0];
  assert.ok(user.injectedChars <= 4000 && user.injectedChars > 3800, String(user.injectedChars));
});

Deno.test("buildSystemPrompt() marks a missing required file and mode none is the identity line", () => {
  const { text } = buildSystemPrompt({ ...base, files: [file("AGENTS.md"), file("USER.md")] });
  assert.ok(text.includes("## /ws/AGENTS.md\n[MISSING] Expected at: /ws/AGENTS.md"));
  assert.ok(!text.includes("/ws/USER.md"));
  assert.equal(
    buildSystemPrompt({ ...base, files: [], mode: "none" }).text,
    "You are a personal assistant running inside OpenClaw.",
  );
});

Deno.test("projectUserText() prefixes the captured date stamp and the runtime line", () => {
  const at = new Date("2026-11-30T01:51:53Z");
  assert.equal(stamp(at, "UTC"), "Mon 2026-11-30 01:51 UTC");
  assert.equal(
    projectUserText("hello chat", { at, timeZone: "UTC" }),
    "[Mon 2026-11-30 01:51 UTC] hello chat",
  );
  assert.match(stamp(at, "America/New_York"), /^Sun 2026-11-29 20:51 EST$/);
  const rt = runtimeLine({
    agentId: "main",
    sessionKey: "agent:main:main",
    sessionId: "s1",
    workspace: "/ws",
    modelRef: "stub/stub-model",
    channel: "webchat",
  });
  assert.equal(
    rt,
    "Runtime: agent=main | session=agent:main:main | sessionId=s1 | repo=/ws | model=stub/stub-model | channel=webchat",
  );
  assert.equal(
    projectUserText("hi", { at, timeZone: "UTC", runtime: rt }),
    `[Mon 2026-11-30 01:51 UTC] hi\n\n${rt}`,
  );
});

Deno.test("createPrompt() reads a seeded workspace and projects the first turn only with the runtime line", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oc-prompt-" });
  try {
    await ensureWorkspace(dir);
    await Deno.writeTextFile(`${dir}/MEMORY.md`, "MEMORYMARKER");
    const prompt = createPrompt({
      timeZone: "UTC",
      now: () => new Date("2026-11-30T01:51:00Z"),
      host: { host: "vm" },
    });
    const model = { ref: { provider: "stub", model: "stub-model" } } as ResolvedModel;
    const input = {
      agentId: "main",
      sessionKey: "agent:main:main",
      sessionId: "s1",
      workspace: dir,
      model,
      tools: [],
      channel: "webchat",
      firstTurn: true,
    };
    const built = await prompt.build(input);
    assert.ok(built.system.includes(`## ${dir}/BOOTSTRAP.md`));
    assert.ok(built.system.includes("MEMORYMARKER"));
    assert.match(
      built.userText!("hello"),
      /^\[Mon 2026-11-30 01:51 UTC\] hello\n\nRuntime: agent=main \| .*host=vm/,
    );
    const later = await prompt.build({ ...input, firstTurn: false });
    assert.equal(later.userText!("again"), "[Mon 2026-11-30 01:51 UTC] again");
    const group = await prompt.build({ ...input, sessionKey: "agent:main:telegram:group:1" });
    assert.ok(!group.system.includes("MEMORYMARKER"), "MEMORY.md stays out of groups");
    const files = await loadWorkspaceFiles(dir);
    assert.equal(files.find((f) => f.name === "TOOLS.md")?.content, undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
