/**
 * The real OpenClaw node host (`openclaw node run`, npm `openclaw@2026.9.6`
 * on Node 24, both from the npm registry) joins our gateway unchanged:
 * protocol 4, its own Ed25519 device identity, silent loopback device
 * pairing, capability approval through `node.pair.approve`, then an
 * operator's `node.invoke system.which` runs on it and comes back. The
 * approval itself is done with the real `openclaw nodes approve` CLI.
 *
 * The install lives outside the repo (`scripts/real_node.ts prepare`, which
 * CI runs); when it is missing this test prepares it, and is skipped with
 * the reason printed only if that fails (no registry, unsupported machine).
 * `OPENCLAW_REAL_NODE=0` skips it on purpose.
 */

import assert from "node:assert/strict";
import { startTestGateway, TEST_TOKEN } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import {
  findRealNode,
  OPENCLAW_V3_VERSION,
  OPENCLAW_VERSION,
  prepareRealNode,
  type RealNode,
} from "../../scripts/real_node.ts";

let real: RealNode | undefined;
let skipReason = "";
if (Deno.env.get("OPENCLAW_REAL_NODE") === "0") {
  skipReason = "OPENCLAW_REAL_NODE=0";
} else {
  try {
    real = await findRealNode() ?? await prepareRealNode(undefined, { timeoutMs: 240_000 });
  } catch (err) {
    skipReason = err instanceof Error ? err.message : String(err);
  }
}
if (!real) {
  console.log(
    `SKIPPED real node host test: ${skipReason} (run "deno run -A scripts/real_node.ts prepare")`,
  );
}

/**
 * A running `openclaw node run` with its own home and state dir in `home`;
 * `token` is the gateway token it is given (none: it must use what it
 * stored). Output is kept for failure messages.
 */
function spawnNodeHost(
  node: RealNode,
  port: number,
  home: string,
  opts: { token?: string; entry?: string } = {},
) {
  const { token } = opts;
  const output: string[] = [];
  const child = new Deno.Command(node.node, {
    args: [opts.entry ?? node.entry, "node", "run", "--host", "127.0.0.1", "--port", String(port)],
    clearEnv: true,
    env: {
      HOME: home,
      OPENCLAW_STATE_DIR: `${home}/.openclaw`,
      // How the node host takes the gateway token (docs cli/node.md: env, no flag).
      ...(token ? { OPENCLAW_GATEWAY_TOKEN: token } : {}),
      PATH: `${node.node.replace(/\/node$/, "")}:/usr/local/bin:/usr/bin:/bin`,
      NO_COLOR: "1",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    for await (const line of stream.pipeThrough(new TextDecoderStream())) output.push(line);
  };
  const drained = Promise.all([drain(child.stdout), drain(child.stderr)]);
  return {
    output,
    async [Symbol.asyncDispose]() {
      try {
        child.kill("SIGTERM");
      } catch { /* already gone */ }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }, 10_000);
      await child.status;
      clearTimeout(timer);
      await drained;
    },
  };
}

/** Runs the real `openclaw` CLI (its own state dir under `home`) and collects its output. */
async function realCli(node: RealNode, home: string, args: string[]) {
  const out = await new Deno.Command(node.node, {
    args: [node.entry, ...args],
    clearEnv: true,
    env: {
      HOME: `${home}/cli`,
      OPENCLAW_STATE_DIR: `${home}/cli/.openclaw`,
      PATH: `${node.node.replace(/\/node$/, "")}:/usr/local/bin:/usr/bin:/bin`,
      NO_COLOR: "1",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(90_000),
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  return { code: out.code, stdout, text: stdout + new TextDecoder().decode(out.stderr) };
}

/** Polls `node.describe` until a connection newer than `after` (ms) is up; when it was seen. */
async function waitForReconnect(
  op: RawWs,
  nodeId: string,
  after: number,
  why: () => string,
): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const info = (await op.request("node.describe", { nodeId })).payload;
    if (info?.connected && info.connectedAtMs > after) return performance.now();
    if (Date.now() > deadline) throw new Error(`node did not reconnect within 60 s\n${why()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

Deno.test({
  name: `the real openclaw ${OPENCLAW_VERSION} node host joins, is approved and runs system.which`,
  ignore: !real,
  async fn() {
    await using gw = await startTestGateway();
    await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
    const home = await Deno.makeTempDir({ prefix: "openclaw-real-node-" });
    await using _home = { [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }) };
    const started = performance.now();
    let host = spawnNodeHost(real!, gw.port, home, { token: TEST_TOKEN });
    const why = () => `node host output:\n${host.output.join("").slice(-4000)}`;

    // Silent loopback device pairing, then its command surface waits for approval.
    const asked = await op.nextEvent("node.pair.requested", 60_000).catch((err) => {
      throw new Error(`${err.message}\n${why()}`);
    });
    const joinMs = performance.now() - started;
    const request = asked.payload;
    assert.equal(request.clientId, "node-host", why());
    assert.equal(request.platform, "linux");
    assert.equal(request.version, OPENCLAW_VERSION);
    assert.ok(request.commands.includes("system.which"), JSON.stringify(request.commands));
    assert.deepEqual(request.requiredApproveScopes, ["operator.pairing", "operator.admin"]);
    const devices = (await op.request("device.pair.list", {})).payload;
    const device = devices.paired.find((d: { deviceId: string }) => d.deviceId === request.nodeId);
    assert.equal(device?.approvedVia, "silent", JSON.stringify(devices));

    // Approved with the real operator CLI: it reads requiredApproveScopes and
    // connects with operator.pairing + operator.admin for this surface.
    const cli = await realCli(real!, home, [
      "nodes",
      "approve",
      request.requestId,
      "--url",
      gw.url,
      "--token",
      TEST_TOKEN,
      "--json",
    ]);
    assert.equal(cli.code, 0, `openclaw nodes approve failed:\n${cli.text}`);
    assert.equal(JSON.parse(cli.stdout).node.nodeId, request.nodeId);

    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const res = await op.request("node.invoke", {
        nodeId: request.nodeId,
        command: "system.which",
        params: { bins: ["sh"] },
        timeoutMs: 10_000,
        idempotencyKey: `real-${i}`,
      });
      times.push(performance.now() - t0);
      assert.equal(res.ok, true, `${JSON.stringify(res.error)}\n${why()}`);
      assert.equal(res.payload.command, "system.which");
      assert.match(res.payload.payload.bins.sh, /\/sh$/);
    }
    const described = (await op.request("node.describe", { nodeId: request.nodeId })).payload;
    assert.equal(described.connected, true);
    assert.equal(described.approvalState, "approved");

    // Restarted without the gateway token, it reconnects with the device token it
    // stored, and its approved commands need no second approval.
    await host[Symbol.asyncDispose]();
    const restarted = performance.now();
    host = spawnNodeHost(real!, gw.port, home);
    const rejoinMs = await waitForReconnect(op, request.nodeId, described.connectedAtMs, why);
    const again = await op.request("node.invoke", {
      nodeId: request.nodeId,
      command: "system.which",
      params: { bins: ["sh"] },
      timeoutMs: 10_000,
      idempotencyKey: "real-after-restart",
    });
    assert.equal(again.ok, true, `${JSON.stringify(again.error)}\n${why()}`);
    assert.equal(op.events("node.pair.requested").length, 1, "approved once");
    await host[Symbol.asyncDispose]();
    times.sort((a, b) => a - b);
    console.log(
      `real node host: spawn to node.pair.requested ${Math.round(joinMs)} ms; ` +
        `system.which round trip p50 ${times[2].toFixed(1)} ms (n=5); ` +
        `restart to connected with its device token ${Math.round(rejoinMs - restarted)} ms`,
    );
  },
});

Deno.test({
  name:
    `the real openclaw ${OPENCLAW_V3_VERSION} node host (protocol 3, no device family) joins and runs system.which`,
  ignore: !real,
  async fn() {
    await using gw = await startTestGateway();
    await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
    const home = await Deno.makeTempDir({ prefix: "openclaw-real-node-v3-" });
    await using _home = { [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }) };
    const started = performance.now();
    await using host = spawnNodeHost(real!, gw.port, home, {
      token: TEST_TOKEN,
      entry: real!.entryV3,
    });
    const why = () => `node host output:\n${host.output.join("").slice(-4000)}`;
    const asked = await op.nextEvent("node.pair.requested", 60_000).catch((err) => {
      throw new Error(`${err.message}\n${why()}`);
    });
    const joinMs = performance.now() - started;
    const request = asked.payload;
    // It offers only protocol 3 (maxProtocol 3): connecting at all proves the negotiation.
    assert.equal(request.version, OPENCLAW_V3_VERSION, why());
    assert.equal(request.deviceFamily, undefined, "the 2026.3 node host sends no device family");
    assert.ok(request.commands.includes("system.which"), JSON.stringify(request.commands));
    const approved = await op.request("node.pair.approve", { requestId: request.requestId });
    assert.equal(approved.ok, true, JSON.stringify(approved.error));
    const t0 = performance.now();
    const res = await op.request("node.invoke", {
      nodeId: request.nodeId,
      command: "system.which",
      params: { bins: ["sh"] },
      timeoutMs: 10_000,
      idempotencyKey: "real-v3",
    });
    const rtt = performance.now() - t0;
    assert.equal(res.ok, true, `${JSON.stringify(res.error)}\n${why()}`);
    assert.match(res.payload.payload.bins.sh, /\/sh$/);
    console.log(
      `real protocol-3 node host: spawn to node.pair.requested ${Math.round(joinMs)} ms; ` +
        `system.which round trip ${rtt.toFixed(1)} ms`,
    );
  },
});
