/**
 * WhatsApp through the gateway: (1) a fake peer's message -> the agent's
 * reply leaving the gateway (seen by the fake server), p50/p95 over 50
 * messages, in process with the real engine on the scripted provider; (2)
 * spawn-to-hello-ok, time to WhatsApp connected, and idle RSS of a real
 * gateway process with one linked account vs without WhatsApp (the fake in
 * its own process). `deno run -A bench/whatsapp_gateway_bench.ts [--json]`
 *
 * @module
 */

import { GatewayClient } from "../src/client/gateway_client.ts";
import { RUN_PERMISSIONS } from "../src/runtime/permissions.ts";
import { startWaGateway } from "../tests/channels/whatsapp/_gateway.ts";
import { TEST_TOKEN } from "../tests/_helpers/gateway.ts";

const N = 50;
const SPAWNS = 3;
const log = (s: string) => console.error(`[bench] ${s}`);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const median = (xs: number[]) => pct(xs, 50);
const mb = (b: number) => Math.round(b / 1048576);

async function replyLatency(): Promise<number[]> {
  await using h = await startWaGateway({ whatsapp: { allowFrom: ["+15557654321"] } });
  const alice = h.server.addPeer({ pn: "15557654321", lid: "88887654321", name: "Alice" });
  await h.link();
  const out: number[] = [];
  for (let i = -10; i < N; i++) {
    const reply = h.nextToPeer(alice, (t) => t === "Hello from stub.", 10_000).catch((e) => {
      throw new Error(`message ${i}: ${e.message}\n${h.gw.lines.slice(-15).join("\n")}`);
    });
    const t0 = performance.now();
    await h.server.deliverText(alice, `message ${i}`);
    await reply;
    if (i >= 0) out.push(performance.now() - t0); // 10 warm-up messages
    // The fake peer's Signal store is not safe against an encrypt overlapping the
    // decrypt of the previous reply's late copies: let it settle between messages.
    await new Promise((r) => setTimeout(r, 100));
  }
  return out;
}

async function rssOf(pid: number): Promise<number> {
  const text = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+)/.exec(text)![1]) * 1024;
}

/** The fake WhatsApp server in its own process; QR strings written to it are scanned. */
async function fakeProcess() {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("_wa_fake_server.ts", import.meta.url).pathname],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  while (!buf.includes("\n")) buf += (await reader.read()).value ?? "";
  const info = JSON.parse(buf.split("\n")[0]) as { url: string; root: string };
  const writer = child.stdin.getWriter();
  return {
    ...info,
    scan: (qr: string) => writer.write(new TextEncoder().encode(`${qr}\n`)),
    async stop() {
      await writer.write(new TextEncoder().encode("quit\n")).catch(() => {});
      await writer.close().catch(() => {});
      await reader.cancel();
      await child.status;
    },
  };
}

interface Run {
  helloMs: number;
  connectedMs?: number;
  rss: number;
}

/** Spawns a gateway on `home`; `then` runs with a client after hello-ok; stops it. */
async function spawnGateway(
  home: string,
  root: string | undefined,
  then?: (c: GatewayClient) => Promise<void>,
): Promise<Run> {
  const t0 = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...RUN_PERMISSIONS,
      new URL("_wa_gateway_child.ts", import.meta.url).pathname,
      "gateway",
      "--port",
      "0",
    ],
    env: {
      OPENCLAW_HOME: home,
      OPENCLAW_SKIP_CANVAS_HOST: "1",
      ...(root ? { WA_TRUST_ROOT: root } : {}),
    },
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  let port: string | undefined;
  const deadline = Date.now() + 30_000;
  while (!port && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value;
    port = /listening on ws:\/\/127\.0\.0\.1:(\d+)/.exec(buf)?.[1];
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  const drain = (async () => {
    while (!(await reader.read().catch(() => ({ done: true }))).done) { /* discard */ }
  })();
  const client = await GatewayClient.connect(`ws://127.0.0.1:${port}`, { token: TEST_TOKEN });
  const helloMs = performance.now() - t0;
  let connectedMs: number | undefined;
  try {
    if (then) await then(client);
    if (root) {
      while (performance.now() - t0 < 30_000) {
        // deno-lint-ignore no-explicit-any
        const st = await client.request<any>("channels.status", {});
        if (st.channels.whatsapp?.connected) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      connectedMs = performance.now() - t0;
    }
    await new Promise((r) => setTimeout(r, 3000)); // idle
    const rss = await rssOf(child.pid);
    return { helloMs, ...(connectedMs ? { connectedMs } : {}), rss };
  } finally {
    await client.close();
    child.kill("SIGTERM");
    await child.status;
    await reader.cancel().catch(() => {});
    await drain;
  }
}

async function home(config: Record<string, unknown>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "openclaw-wabench-" });
  await Deno.mkdir(`${dir}/.openclaw`, { recursive: true });
  await Deno.writeTextFile(`${dir}/.openclaw/openclaw.json`, JSON.stringify(config));
  return dir;
}

log(`peer message -> reply, ${N} messages...`);
const lat = await replyLatency();
log(`p50 ${median(lat).toFixed(1)} ms`);

const fake = await fakeProcess();
const gateway = { mode: "local", auth: { token: TEST_TOKEN } };
const withWa = await home({ gateway, channels: { whatsapp: { wsUrl: fake.url } } });
const without = await home({ gateway });
try {
  log("linking the account once...");
  await spawnGateway(withWa, fake.root, async (c) => {
    for (let i = 0; i < 200; i++) {
      // deno-lint-ignore no-explicit-any
      const st = await c.request<any>("channels.status", {});
      if (st.channels.whatsapp?.accounts[0]?.running) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const s = await c.request<{ qr?: string }>("web.login.start", {});
    if (!s.qr) throw new Error("no QR");
    const waited = c.request<{ connected: boolean }>("web.login.wait", { timeoutMs: 30_000 }, {
      timeoutMs: 35_000,
    });
    await fake.scan(s.qr);
    if (!(await waited).connected) throw new Error("not linked");
  });
  const runs = { without: [] as Run[], linked: [] as Run[] };
  for (let i = 0; i < SPAWNS; i++) {
    log(`spawn ${i + 1}/${SPAWNS}...`);
    runs.without.push(await spawnGateway(without, undefined));
    runs.linked.push(await spawnGateway(withWa, fake.root));
  }
  const sum = (rs: Run[]) => ({
    helloMsMedian: Math.round(median(rs.map((r) => r.helloMs))),
    helloMs: rs.map((r) => Math.round(r.helloMs)),
    ...(rs[0].connectedMs
      ? { connectedMsMedian: Math.round(median(rs.map((r) => r.connectedMs!))) }
      : {}),
    rssMbMedian: mb(median(rs.map((r) => r.rss))),
    rssMb: rs.map((r) => mb(r.rss)),
  });
  const result = {
    replyMs: {
      n: N,
      p50: +median(lat).toFixed(1),
      p95: +pct(lat, 95).toFixed(1),
      max: +Math.max(...lat).toFixed(1),
    },
    withoutWhatsApp: sum(runs.without),
    oneLinkedAccount: sum(runs.linked),
    loadavg: Deno.loadavg(),
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await fake.stop();
  for (const d of [withWa, without]) await Deno.remove(d, { recursive: true }).catch(() => {});
}
