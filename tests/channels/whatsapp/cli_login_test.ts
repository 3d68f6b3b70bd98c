/**
 * `openclaw channels login|logout` in process (so Baileys trusts the fake
 * server): through a running gateway's `web.login.*`, and offline with no
 * gateway answering.
 */

import assert from "node:assert/strict";
import { runCli } from "../../../src/cli/mod.ts";
import type { Io } from "../../../src/cli/context.ts";
import { TEST_TOKEN, writeConfig } from "../../_helpers/gateway.ts";
import { FakeWaServer, installTrustRoot } from "../../_fakes/whatsapp/mod.ts";
import { installNetGuard } from "../../_fakes/net_guard.ts";
import { BAILEYS_TEST, until } from "./_harness.ts";
import { startWaGateway } from "./_gateway.ts";

function captureIo(): Io & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (t) => void lines.push(t), err: (t) => void lines.push(t) };
}

/** Resolves with the raw QR text once the CLI printed it (`--verbose`). */
async function printedQr(io: { lines: string[] }): Promise<string> {
  await until(() => io.lines.some((l) => l.startsWith("QR text: ")), "the QR code", 20_000);
  return io.lines.find((l) => l.startsWith("QR text: "))!.slice("QR text: ".length);
}

Deno.test({
  name: "channels login links through the running gateway (QR in the terminal); logout unlinks",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startWaGateway();
  const env = { OPENCLAW_HOME: h.home };
  const target = ["--url", h.gw.proc.instance.url, "--token", TEST_TOKEN];
  const io = captureIo();
  const run = runCli(["channels", "login", "--verbose", "--wait", "30000", ...target], { env, io });
  h.server.phoneScan(await printedQr(io));
  assert.equal(await run, 0, io.lines.join("\n"));
  assert.ok(io.lines.some((l) => l.includes("▄") || l.includes("█")), "a QR drawn in text");
  assert.ok(io.lines.some((l) => l === "Linked as +15550001111"), io.lines.join("\n"));
  assert.equal((await h.account()).connected, true);

  const again = captureIo();
  assert.equal(await runCli(["channels", "login", ...target], { env, io: again }), 0);
  assert.match(again.lines.join("\n"), /already linked as \+15550001111/);

  const out = captureIo();
  assert.equal(await runCli(["channels", "logout", ...target], { env, io: out }), 0);
  assert.match(out.lines.join("\n"), /unlinked and its credentials are deleted/);
  assert.equal((await h.account()).linked, false);
});

Deno.test({
  name: "channels login/logout with no gateway running link and unlink in the CLI process",
  ...BAILEYS_TEST,
}, async () => {
  const guard = installNetGuard();
  const server = await FakeWaServer.start();
  installTrustRoot(server.rootPublicKey);
  const home = await Deno.makeTempDir({ prefix: "openclaw-walogin-" });
  try {
    // A port nobody listens on: the CLI's connect is refused.
    const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (l.addr as Deno.NetAddr).port;
    l.close();
    await writeConfig(home, {
      gateway: { mode: "local", port, auth: { token: TEST_TOKEN } },
      channels: { whatsapp: { wsUrl: server.url } },
    });
    const io = captureIo();
    const run = runCli(["channels", "login", "--verbose", "--wait", "30000"], {
      env: { OPENCLAW_HOME: home },
      io,
    });
    server.phoneScan(await printedQr(io));
    assert.equal(await run, 0, io.lines.join("\n"));
    assert.ok(io.lines.some((l) => l.startsWith("No gateway is running")));
    assert.ok(io.lines.some((l) => l === "Linked as +15550001111"), io.lines.join("\n"));
    await Deno.stat(`${home}/.openclaw/credentials/whatsapp/default/creds.json`);

    const out = captureIo();
    assert.equal(
      await runCli(["channels", "logout"], { env: { OPENCLAW_HOME: home }, io: out }),
      0,
    );
    assert.match(out.lines.join("\n"), /credentials deleted \(no gateway was running/);
    await assert.rejects(
      Deno.stat(`${home}/.openclaw/credentials/whatsapp/default`),
      Deno.errors.NotFound,
    );
  } finally {
    await server.stop();
    guard.restore();
    await Deno.remove(home, { recursive: true }).catch(() => {});
  }
  guard.assertClean();
});
