import assert from "node:assert/strict";
import { runCli } from "../../src/cli/mod.ts";
import { SEEDED_FILES } from "../../src/agent/workspace.ts";
import { tempHome } from "../_helpers/gateway.ts";

async function cli(home: string, args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    env: { HOME: home, OPENCLAW_HOME: home },
    io: { out: (s) => out.push(s), err: (s) => err.push(s) },
  });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

Deno.test("setup seeds the workspace bootstrap files and never overwrites them", async () => {
  const { home, cleanup } = await tempHome();
  try {
    const ws = `${home}/.openclaw/workspace`;
    const r = await cli(home, ["setup", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).seeded, [...SEEDED_FILES]);
    for (const name of SEEDED_FILES) {
      assert.equal((await Deno.stat(`${ws}/${name}`)).mode! & 0o777, 0o600, name);
    }
    await Deno.writeTextFile(`${ws}/SOUL.md`, "my own soul");
    const again = await cli(home, ["setup", "--force"]);
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /seeded/);
    assert.equal(await Deno.readTextFile(`${ws}/SOUL.md`), "my own soul");
  } finally {
    await cleanup();
  }
});
