/**
 * The baseline for the gateway benchmark: a bare `Deno.serve` WebSocket
 * server that speaks just enough of the protocol for the load generator.
 * It sends `connect.challenge`, answers `connect` with a minimal `hello-ok`
 * (no auth check, no validation) and answers every later request with
 * `{ok: true}`. Whatever the gateway costs beyond this is the gateway's own.
 *
 * Usage: `deno run --allow-net bench/bare_server.ts --port 18790`
 *
 * @module
 */

/** The `hello-ok` payload the bare server answers with (protocol 3, empty snapshot). */
export function minimalHello(connId: string): Record<string, unknown> {
  return {
    type: "hello-ok",
    protocol: 3,
    server: { version: "bare", connId },
    features: { methods: [], events: [] },
    snapshot: { presence: [], health: {}, stateVersion: { presence: 0, health: 0 }, uptimeMs: 0 },
    auth: { role: "operator", scopes: [] },
    policy: { maxPayload: 26214400, maxBufferedBytes: 52428800, tickIntervalMs: 30000 },
  };
}

/** Handles one upgraded socket: challenge, hello-ok, then an echo of `{ok: true}` per request. */
export function serveSocket(socket: WebSocket): void {
  const connId = crypto.randomUUID();
  let open = false;
  socket.onopen = () => {
    const payload = { nonce: crypto.randomUUID(), ts: Date.now() };
    socket.send(JSON.stringify({ type: "event", event: "connect.challenge", payload }));
  };
  socket.onmessage = (e) => {
    let frame: { id?: unknown; method?: unknown };
    try {
      frame = JSON.parse(String(e.data));
    } catch {
      return socket.close(1008, "invalid request frame");
    }
    if (!open) {
      if (frame.method !== "connect") return socket.close(1008, "invalid handshake");
      open = true;
      const res = { type: "res", id: frame.id, ok: true, payload: minimalHello(connId) };
      return socket.send(JSON.stringify(res));
    }
    socket.send(JSON.stringify({ type: "res", id: frame.id, ok: true, payload: { ok: true } }));
  };
  socket.onerror = () => {};
}

/** Starts the bare server on `127.0.0.1:port` and prints its URL. */
export function startBareServer(port: number): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({
    hostname: "127.0.0.1",
    port,
    onListen: (addr) => console.log(`[bare] listening on ws://${addr.hostname}:${addr.port}`),
  }, (req) => {
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("bare benchmark server\n");
    }
    const { socket, response } = Deno.upgradeWebSocket(req);
    serveSocket(socket);
    return response;
  });
}

if (import.meta.main) {
  const i = Deno.args.indexOf("--port");
  const port = i >= 0 ? Number(Deno.args[i + 1]) : 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid --port "${Deno.args[i + 1]}": use an integer from 0 to 65535`);
    Deno.exit(2);
  }
  startBareServer(port);
}
