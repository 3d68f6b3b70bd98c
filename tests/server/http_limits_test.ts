import assert from "node:assert/strict";
import { listen } from "../../src/server/serve.ts";
import { startTestGateway } from "../_helpers/gateway.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Reads what the server sends until it ends the connection; fails after `ms`. */
async function readToEnd(conn: Deno.Conn, ms: number): Promise<{ text: string; ms: number }> {
  const started = performance.now();
  let timedOut = false;
  const t = setTimeout(() => (timedOut = true, conn.close()), ms);
  let text = "";
  try {
    const buf = new Uint8Array(4096);
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      text += dec.decode(buf.subarray(0, n));
    }
  } finally {
    clearTimeout(t);
  }
  if (timedOut) throw new Error(`connection still open after ${ms} ms`);
  try {
    conn.close();
  } catch {
    // Already closed.
  }
  return { text, ms: performance.now() - started };
}

async function get(port: number, path = "/health"): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(3000) });
  await res.body?.cancel();
  return res.status;
}

function server(limits: Parameters<typeof listen>[0] extends infer O ? Partial<O> : never) {
  const l = listen({ hostname: "127.0.0.1", port: 0, ...limits }, async (req) => {
    const body = req.body ? await req.text() : "";
    return new Response(`ok ${body.length}`);
  });
  return { port: l.port, l, [Symbol.asyncDispose]: () => l.close() };
}

Deno.test("a half-sent request head is dropped after headerTimeoutMs", async () => {
  await using s = server({ headerTimeoutMs: 300 });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: s.port });
  await conn.write(enc.encode("GET /health HTTP/1.1\r\nHost: x\r\n"));
  const { ms } = await readToEnd(conn, 3000);
  assert.ok(ms >= 250 && ms < 2000, `dropped after ${ms.toFixed(0)} ms`);
  assert.equal(await get(s.port), 200);
});

Deno.test("a half-sent body is dropped after bodyTimeoutMs", async () => {
  await using s = server({ bodyTimeoutMs: 300 });
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: s.port });
  await conn.write(enc.encode("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc"));
  const { text, ms } = await readToEnd(conn, 3000);
  assert.equal(text, "");
  assert.ok(ms >= 250 && ms < 2000, `dropped after ${ms.toFixed(0)} ms`);
});

Deno.test("oversized heads (431) and bodies (413) are answered, not read", async () => {
  await using s = server({ maxBodyBytes: 1000 });
  let conn = await Deno.connect({ hostname: "127.0.0.1", port: s.port });
  await conn.write(enc.encode(`GET / HTTP/1.1\r\nX-Big: ${"a".repeat(20_000)}\r\n`));
  assert.match((await readToEnd(conn, 3000)).text, /^HTTP\/1\.1 431/);
  conn = await Deno.connect({ hostname: "127.0.0.1", port: s.port });
  await conn.write(enc.encode("POST / HTTP/1.1\r\nContent-Length: 5000\r\n\r\n"));
  assert.match((await readToEnd(conn, 3000)).text, /^HTTP\/1\.1 413/);
  const res = await fetch(`http://127.0.0.1:${s.port}/`, { method: "POST", body: "hello" });
  assert.equal(await res.text(), "ok 5");
});

Deno.test("at maxConnections the oldest idle connection makes room; /health still answers", async () => {
  await using s = server({ maxConnections: 8 });
  const idle = await Promise.all(
    Array.from({ length: 8 }, () => Deno.connect({ hostname: "127.0.0.1", port: s.port })),
  );
  try {
    for (const c of idle) await c.write(enc.encode("GET / HTTP/1.1\r\n"));
    assert.equal(await get(s.port), 200);
    assert.ok(s.l.connections() <= 8, `${s.l.connections()} connections open`);
    // The oldest idle one was closed to make room.
    assert.equal((await readToEnd(idle[0], 3000)).text, "");
  } finally {
    for (const c of idle) {
      try {
        c.close();
      } catch {
        // Closed by the server.
      }
    }
  }
});

Deno.test("at maxConnections a connection trickling its body is evicted too", async () => {
  await using s = server({ maxConnections: 4 });
  const slow = await Promise.all(
    Array.from({ length: 4 }, () => Deno.connect({ hostname: "127.0.0.1", port: s.port })),
  );
  try {
    for (const c of slow) {
      await c.write(enc.encode("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\na"));
    }
    assert.equal(await get(s.port), 200);
    assert.equal((await readToEnd(slow[0], 3000)).text, "");
  } finally {
    for (const c of slow) {
      try {
        c.close();
      } catch {
        // Closed by the server.
      }
    }
  }
});

Deno.test("gateway /health answers while idle connections pile up", async () => {
  await using gw = await startTestGateway();
  const idle = await Promise.all(
    Array.from({ length: 200 }, () => Deno.connect({ hostname: "127.0.0.1", port: gw.port })),
  );
  try {
    for (const c of idle) await c.write(enc.encode("GET /health HTTP/1.1\r\nHost: x\r\n"));
    assert.equal(await get(gw.port), 200);
  } finally {
    for (const c of idle) c.close();
  }
});

Deno.test("running out of file descriptors neither ends the process nor stops /health", async () => {
  const fixture = new URL("./_emfile_server.ts", import.meta.url).pathname;
  const child = new Deno.Command("sh", {
    args: ["-c", `ulimit -n 64 && exec "${Deno.execPath()}" run --allow-net "${fixture}"`],
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  const readUntil = async (re: RegExp, ms: number) => {
    const t = setTimeout(() => child.kill("SIGKILL"), ms);
    try {
      while (!re.test(out)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`fixture ended; output: ${out}`);
        out += value;
      }
    } finally {
      clearTimeout(t);
    }
    return re.exec(out)!;
  };
  const held: Deno.Conn[] = [];
  try {
    const port = Number((await readUntil(/port (\d+)/, 10_000))[1]);
    for (let i = 0; i < 100; i++) held.push(await Deno.connect({ hostname: "127.0.0.1", port }));
    await readUntil(/accept error/, 5000);
    // Its oldest idle connections make room for the probe.
    assert.equal(await get(port), 200);
    const alive = await Promise.race([
      child.status.then(() => false),
      new Promise<boolean>((r) => setTimeout(() => r(true), 300)),
    ]);
    assert.ok(alive, "the process exited");
  } finally {
    for (const c of held) c.close();
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited.
    }
    await child.status;
    await reader.cancel().catch(() => {});
  }
});
