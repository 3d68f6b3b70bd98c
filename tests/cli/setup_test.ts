import assert from "node:assert/strict";
import { runCli as runCliInProcess } from "../../src/cli/mod.ts";
import { readConfig } from "../../src/config/load.ts";
import { resolvePaths } from "../../src/config/paths.ts";
import { resolveSettings } from "../../src/config/settings.ts";
import { tempHome } from "../_helpers/gateway.ts";

/** Runs the CLI in this process with a private home; returns exit code and output. */
async function cli(home: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCliInProcess(args, {
    env: { HOME: home, OPENCLAW_HOME: home },
    io: { out: (s) => out.push(s), err: (s) => err.push(s) },
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

async function mode(path: string): Promise<number> {
  return (await Deno.stat(path)).mode! & 0o777;
}

Deno.test("setup creates a private config with a fresh token, workspace and canvas", async () => {
  const a = await tempHome();
  const b = await tempHome();
  try {
    const r = await cli(a.home, ["setup"]);
    assert.equal(r.code, 0, r.stderr);
    const state = `${a.home}/.openclaw`;
    const snap = await readConfig(`${state}/openclaw.json`, {});
    assert.deepEqual(snap.issues, []);
    assert.equal(snap.config?.gateway?.mode, "local");
    const token = snap.config?.gateway?.auth?.token ?? "";
    assert.match(token, /^[A-Za-z0-9_-]{43}$/, "32 random bytes as base64url");
    assert.equal(await mode(state), 0o700);
    assert.equal(await mode(`${state}/openclaw.json`), 0o600);
    assert.equal(await mode(`${state}/workspace`), 0o700);
    assert.equal(await mode(`${state}/workspace/canvas`), 0o700);
    assert.match(r.stdout, new RegExp(`Config: ${state}/openclaw\\.json \\(created`));
    assert.match(r.stdout, new RegExp(`Canvas: ${state}/workspace/canvas`));
    assert.ok(!r.stdout.includes(token), "the token is not printed");

    assert.equal((await cli(b.home, ["setup"])).code, 0);
    const other = await readConfig(`${b.home}/.openclaw/openclaw.json`, {});
    assert.notEqual(other.config?.gateway?.auth?.token, token);
  } finally {
    await a.cleanup();
    await b.cleanup();
  }
});

Deno.test("setup keeps an existing config unless --force, which keeps a .bak", async () => {
  const { home, cleanup } = await tempHome();
  try {
    const path = `${home}/.openclaw/openclaw.json`;
    await Deno.mkdir(`${home}/.openclaw`, { recursive: true });
    const mine = '// mine\n{ gateway: { mode: "local", auth: { token: "keep-me" } } }\n';
    await Deno.writeTextFile(path, mine, { mode: 0o644 });
    const kept = await cli(home, ["setup"]);
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, /exists, left alone; --force replaces it/);
    assert.equal(await Deno.readTextFile(path), mine);
    assert.equal(await mode(path), 0o600, "permissions are still tightened");

    const forced = await cli(home, ["setup", "--force"]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(await Deno.readTextFile(`${path}.bak`), mine);
    const snap = await readConfig(path, {});
    assert.notEqual(snap.config?.gateway?.auth?.token, "keep-me");
    assert.match(forced.stdout, /Previous config kept as .*openclaw\.json\.bak/);
  } finally {
    await cleanup();
  }
});

Deno.test("setup --dev uses ~/.openclaw-dev and the workspace-dev folder", async () => {
  const { home, cleanup } = await tempHome();
  try {
    for (const args of [["setup", "--dev"], ["--dev", "setup", "--force"]]) {
      const r = await cli(home, args);
      assert.equal(r.code, 0, r.stderr);
    }
    const paths = resolvePaths({ dev: true }, { OPENCLAW_HOME: home });
    const snap = await readConfig(`${home}/.openclaw-dev/openclaw.json`, {});
    assert.deepEqual(snap.issues, []);
    const workspace = `${home}/.openclaw/workspace-dev`;
    assert.deepEqual(snap.config?.agents?.defaults, { workspace });
    assert.equal(await mode(`${workspace}/canvas`), 0o700);
    // The gateway serves the canvas folder setup created.
    assert.equal(
      resolveSettings(snap.config!, { env: {}, paths }).canvas.root,
      `${workspace}/canvas`,
    );
    await assert.rejects(Deno.stat(`${home}/.openclaw/openclaw.json`), Deno.errors.NotFound);
  } finally {
    await cleanup();
  }
});

Deno.test("setup --workspace puts the workspace where asked", async () => {
  const { home, cleanup } = await tempHome();
  try {
    const r = await cli(home, ["setup", "--workspace", `${home}/ws/`, "--json"]);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.workspace, `${home}/ws`);
    assert.equal(report.config.action, "created");
    assert.equal(await mode(`${home}/ws/canvas`), 0o700);
  } finally {
    await cleanup();
  }
});
