import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Runs `protocol/gen.ts <kind> --check` (in `root`) the way CI would. */
async function genCheck(kind: string, root = ROOT) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "protocol/gen.ts", kind, "--check"],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("protocol/gen/protocol.schema.json is up to date (deno task protocol:gen)", async () => {
  const { code, stderr } = await genCheck("json");
  assert.equal(code, 0, stderr);
});

Deno.test("protocol/gen/GatewayModels.swift is up to date (deno task protocol:gen:swift)", async () => {
  const { code, stderr } = await genCheck("swift");
  assert.equal(code, 0, stderr);
});

Deno.test("protocol/gen.ts --check fails on an unknown generator", async () => {
  const { code, stderr } = await genCheck("yaml");
  assert.notEqual(code, 0);
  assert.match(stderr, /Unknown generator "yaml"/);
});

Deno.test("protocol/gen.ts --check fails when a generated file is stale", async () => {
  const copy = await Deno.makeTempDir({ prefix: "openclaw-protocol-" });
  try {
    for (const file of ["deno.json", "deno.lock"]) {
      await Deno.copyFile(ROOT + file, `${copy}/${file}`);
    }
    await new Deno.Command("cp", {
      args: ["-R", ROOT + "protocol", copy],
      signal: AbortSignal.timeout(30_000),
    }).output();
    assert.equal((await genCheck("json", copy)).code, 0, "the copy is not a faithful one");
    const schemaFile = `${copy}/protocol/gen/protocol.schema.json`;
    const text = await Deno.readTextFile(schemaFile);
    await Deno.writeTextFile(schemaFile, text.replace('"StatusParams"', '"StatusParamz"'));
    const { code, stderr } = await genCheck("json", copy);
    assert.equal(code, 1);
    assert.match(stderr, /protocol\.schema\.json is stale: run "deno task protocol:gen"/);
  } finally {
    await Deno.remove(copy, { recursive: true });
  }
});
