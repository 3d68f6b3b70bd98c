/**
 * WhatsApp channel numbers, against the fake WhatsApp Web server with the
 * real Baileys: Baileys import time and RSS (fresh subprocesses), inbound
 * latency (fake peer sends -> inbound callback) and outbound latency
 * (`sendText` -> the fake peer decrypted it), p50/p95 over 50 messages, and
 * RSS with one linked account. A benchmark, not a test: it prints and exits 0.
 *
 * @example
 * ```sh
 * deno run -A bench/whatsapp_bench.ts          # about 5 s
 * deno run -A bench/whatsapp_bench.ts --json
 * ```
 *
 * @module
 */

import { createLogSink } from "../src/log/logger.ts";
import { WhatsAppConnection } from "../src/channels/whatsapp/connection.ts";
import { sendText } from "../src/channels/whatsapp/outbound.ts";
import type { WhatsAppInboundEnvelope } from "../src/channels/whatsapp/types.ts";
import { FakeWaServer, installTrustRoot } from "../tests/_fakes/whatsapp/mod.ts";

const MESSAGES = 50;
const mb = (n: number) => Math.round(n / 1048576 * 10) / 10;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 100) / 100;
}

/** Import time and RSS growth of Baileys in a fresh process (median of 3). */
async function baileysImport(): Promise<{ importMs: number; rssMb: number; baseRssMb: number }> {
  const script = `
    const a = Deno.memoryUsage().rss; const t = performance.now();
    await import("@whiskeysockets/baileys");
    console.log(JSON.stringify({ ms: performance.now() - t, base: a, grow: Deno.memoryUsage().rss - a }));`;
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--quiet", script],
      cwd: new URL("../", import.meta.url).pathname,
      stdout: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    runs.push(JSON.parse(new TextDecoder().decode(out.stdout)));
  }
  runs.sort((a, b) => a.ms - b.ms);
  const m = runs[1];
  return { importMs: Math.round(m.ms), rssMb: mb(m.grow), baseRssMb: mb(m.base) };
}

async function linkedRun() {
  const rssStart = Deno.memoryUsage().rss;
  const server = await FakeWaServer.start();
  installTrustRoot(server.rootPublicKey);
  const alice = server.addPeer({ pn: "15557654321", lid: "88887654321", name: "Alice" });
  const stateDir = await Deno.makeTempDir({ prefix: "openclaw-wa-bench-" });
  let onEnvelope: (e: WhatsAppInboundEnvelope) => void = () => {};
  const conn = new WhatsAppConnection({
    accountId: "default",
    authDir: `${stateDir}/wa`,
    wsUrl: server.url,
  }, {
    logger: createLogSink({ fileLevel: "silent", consoleLevel: "silent" }).logger("whatsapp"),
    onInbound: (e) => onEnvelope(e),
  });
  const t0 = performance.now();
  const qr = new Promise<string>((r) => conn.onQr(r));
  await conn.startLogin();
  server.phoneScan(await qr);
  await conn.waitForOpen(30_000);
  const linkMs = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 500));
  const rssLinked = Deno.memoryUsage().rss;

  const inbound: number[] = [];
  const inboundAfterSend: number[] = [];
  for (let i = 0; i < MESSAGES + 5; i++) {
    const got = new Promise<number>((resolve) => (onEnvelope = () => resolve(performance.now())));
    const start = performance.now();
    const { promise: sent, resolve: markSent } = Promise.withResolvers<number>();
    server.deliverText(alice, `message ${i}`).then(() => markSent(performance.now()));
    const [at, sentAt] = await Promise.all([got, sent]);
    if (i >= 5) { // warm-up: the first messages build the Signal session
      inbound.push(at - start);
      inboundAfterSend.push(at - Math.min(at, sentAt));
    }
  }
  const outbound: number[] = [];
  for (let i = 0; i < MESSAGES + 5; i++) {
    const seen = server.waitFor("client-message");
    const start = performance.now();
    await sendText(conn, alice.pnJid, `reply ${i}`);
    await seen;
    if (i >= 5) outbound.push(performance.now() - start);
  }
  await conn.stop();
  await server.stop();
  await Deno.remove(stateDir, { recursive: true });
  return {
    linkMs: Math.round(linkMs),
    rssBeforeMb: mb(rssStart),
    rssLinkedMb: mb(rssLinked),
    inboundP50Ms: pct(inbound, 0.5),
    inboundP95Ms: pct(inbound, 0.95),
    inboundAfterStanzaP50Ms: pct(inboundAfterSend, 0.5),
    outboundP50Ms: pct(outbound, 0.5),
    outboundP95Ms: pct(outbound, 0.95),
  };
}

/**
 * RSS of a process holding one linked, idle account, with the fake server in
 * another process: before Baileys loads, and 2 s after the connection opened.
 */
async function separateProcessRss(): Promise<{ baseMb: number; linkedMb: number }> {
  const script = `
    import { Buffer } from "node:buffer";
    import { WhatsAppConnection } from "./src/channels/whatsapp/connection.ts";
    import { silentLogger } from "./src/log/logger.ts";
    (globalThis as { gc?: () => void }).gc?.();
    const base = Deno.memoryUsage().rss;
    const fake = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "bench/_wa_fake_server.ts"], stdin: "piped", stdout: "piped",
    }).spawn();
    const reader = fake.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let first = "";
    while (!first.includes("\\n")) first += (await reader.read()).value ?? "";
    const { url, root } = JSON.parse(first.split("\\n")[0]);
    const B = await import("@whiskeysockets/baileys");
    B.WA_CERT_DETAILS.PUBLIC_KEY = Buffer.from(root, "base64");
    const dir = await Deno.makeTempDir();
    const conn = new WhatsAppConnection({ accountId: "default", authDir: dir + "/wa", wsUrl: url },
      { logger: silentLogger() });
    const writer = fake.stdin.getWriter();
    conn.onQr((qr) => void writer.write(new TextEncoder().encode(qr + "\\n")));
    await conn.startLogin();
    await conn.waitForOpen(30000);
    await new Promise((r) => setTimeout(r, 2000));
    (globalThis as { gc?: () => void }).gc?.();
    const linked = Deno.memoryUsage().rss;
    await conn.stop();
    await writer.write(new TextEncoder().encode("quit\\n"));
    await fake.status;
    await Deno.remove(dir, { recursive: true });
    console.log(JSON.stringify({ base, linked }));
    Deno.exit(0);
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", "--v8-flags=--expose-gc", script],
    cwd: new URL("../", import.meta.url).pathname,
    stdout: "piped",
    signal: AbortSignal.timeout(120_000),
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").pop() ?? "{}";
  const { base, linked } = JSON.parse(text);
  return { baseMb: mb(base), linkedMb: mb(linked) };
}

if (import.meta.main) {
  const imp = await baileysImport();
  const run = await linkedRun();
  const alone = await separateProcessRss();
  const result = { baileys: imp, linked: run, oneLinkedAccountProcess: alone, messages: MESSAGES };
  if (Deno.args.includes("--json")) console.log(JSON.stringify(result));
  else console.log(JSON.stringify(result, null, 2));
  Deno.exit(0);
}
