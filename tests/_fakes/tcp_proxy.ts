/**
 * A loopback TCP proxy whose connections a test can cut without any
 * WebSocket close frame: what a network failure looks like to a client.
 *
 * @module
 */

/** A running proxy; `cut()` drops every live connection, `close()` stops it. */
export interface TcpProxy extends AsyncDisposable {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  cut(): void;
  close(): Promise<void>;
}

/** Proxies 127.0.0.1:<port> to 127.0.0.1:`targetPort`. */
export function startTcpProxy(targetPort: number): TcpProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const live = new Set<Deno.Conn>();
  let accepted = 0;
  const closeQuietly = (c: Deno.Conn) => {
    live.delete(c);
    try {
      c.close();
    } catch { /* already closed */ }
  };
  const pump = async (from: Deno.Conn, to: Deno.Conn) => {
    try {
      await from.readable.pipeTo(to.writable, { preventClose: true });
    } catch { /* cut */ }
    closeQuietly(from);
    closeQuietly(to);
  };
  const loop = (async () => {
    for await (const client of listener) {
      accepted++;
      live.add(client);
      Deno.connect({ hostname: "127.0.0.1", port: targetPort }).then((upstream) => {
        live.add(upstream);
        void pump(client, upstream);
        void pump(upstream, client);
      }, () => closeQuietly(client));
    }
  })().catch(() => {});
  const proxy: TcpProxy = {
    port: (listener.addr as Deno.NetAddr).port,
    get accepted() {
      return accepted;
    },
    cut() {
      for (const c of [...live]) closeQuietly(c);
    },
    async close() {
      try {
        listener.close();
      } catch { /* closed */ }
      proxy.cut();
      await loop;
    },
    [Symbol.asyncDispose]: () => proxy.close(),
  };
  return proxy;
}
