import assert from "node:assert/strict";
import { REDACTED } from "../../src/config/redact.ts";
import { startTestGateway } from "../_helpers/gateway.ts";

interface Validated {
  valid: boolean;
  issues: { path: string; message: string; line?: number }[];
}

/** `{gateway: {mode: "local"}, k0: <value>, k1: <value>, ...}`, one key per line. */
function manyKeys(n: number, value: string): string {
  const lines = [`  gateway: {mode: "local"},`];
  for (let i = 0; i < n; i++) lines.push(`  k${i}: ${value},`);
  return `{\n${lines.join("\n")}\n}\n`;
}

Deno.test("config.validate lists 50 problems of a text with thousands, fast, and counts the rest", async () => {
  await using gw = await startTestGateway();
  const client = await gw.connect();
  for (const value of ["1", `"${REDACTED}"`]) {
    const started = performance.now();
    const res = await client.request<Validated>("config.validate", {
      raw: manyKeys(20_000, value),
    });
    const ms = performance.now() - started;
    assert.equal(res.valid, false);
    assert.equal(res.issues.length, 51);
    // Located like before: k0 is on line 3.
    assert.deepEqual(res.issues[0], {
      path: "k0",
      message: value === "1" ? "unknown key" : res.issues[0].message,
      line: 3,
    });
    assert.match(res.issues[50].message, /^19950 more problems not listed/);
    // Each problem used to be located by a scan of the whole text: minutes.
    assert.ok(ms < 10_000, `config.validate took ${Math.round(ms)} ms`);
  }
  // The gateway answered others meanwhile and still does.
  assert.equal((await client.request<{ ok: boolean }>("health", {})).ok, true);
  await client.close();
});
