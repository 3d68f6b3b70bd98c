import assert from "node:assert/strict";
import { LIVE_RELOAD_CLIENT } from "../../src/canvas/inject.ts";
import { startTestGateway } from "../_helpers/gateway.ts";
import { freePort, waitUntil } from "../_helpers/reload.ts";
import { BASE, get } from "./_canvas.ts";

/**
 * Runs the injected live-reload client as a page would, with Deno's real
 * WebSocket and a fake `location`; `stop()` ends its sockets and timers.
 */
function runClient(url: string) {
  const page = new URL(url);
  const reloads: number[] = [];
  const sockets = new Set<WebSocket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let stopped = false;
  let created = 0;
  class PageSocket extends WebSocket {
    constructor(target: string) {
      super(target);
      created++;
      sockets.add(this);
      this.addEventListener("close", () => sockets.delete(this));
    }
  }
  const location = {
    protocol: page.protocol,
    host: page.host,
    pathname: page.pathname,
    search: page.search,
    reload: () => reloads.push(Date.now()),
  };
  const setTimer = (fn: () => void, ms: number) => {
    if (stopped) return undefined;
    const id = setTimeout(() => {
      timers.delete(id);
      if (!stopped) fn();
    }, ms);
    timers.add(id);
    return id;
  };
  const clearTimer = (id: ReturnType<typeof setTimeout> | undefined) => {
    clearTimeout(id);
    if (id !== undefined) timers.delete(id);
  };
  new Function("location", "WebSocket", "setTimeout", "clearTimeout", LIVE_RELOAD_CLIENT)(
    location,
    PageSocket,
    setTimer,
    clearTimer,
  );
  return {
    reloads,
    open: () => [...sockets].filter((s) => s.readyState === WebSocket.OPEN).length,
    created: () => created,
    async stop() {
      stopped = true;
      for (const id of timers) clearTimeout(id);
      const closing = [...sockets].map((s) =>
        new Promise((r) => {
          if (s.readyState === WebSocket.CLOSED) return r(undefined);
          s.addEventListener("close", r);
          s.close();
        })
      );
      await Promise.race([Promise.all(closing), new Promise((r) => setTimeout(r, 5_000))]);
    },
  };
}

Deno.test("live-reload client: reconnects with backoff after a gateway restart and still reloads", async () => {
  const port = freePort();
  await using gw = await startTestGateway({ config: { ...BASE, canvasHost: { port } } });
  const root = gw.proc.instance.settings.canvas.root;
  assert.equal((await get(port, "/__openclaw__/canvas/")).status, 200);
  const client = runClient(`http://127.0.0.1:${port}/__openclaw__/canvas/index.html`);
  try {
    await waitUntil(() => client.open() === 1, "the page's socket", 10_000);
    const first = gw.proc.instance;
    await gw.proc.restart("test");
    await waitUntil(() => gw.proc.instance !== first, "the new instance", 10_000);
    // The old socket closed with the old listener; the client comes back on its own.
    await waitUntil(
      () => client.created() > 1 && client.open() === 1,
      "a new page socket after the restart",
      15_000,
    );
    await new Promise((r) => setTimeout(r, 50));
    await Deno.writeTextFile(`${root}/index.html`, "<html><body>after restart</body></html>");
    await waitUntil(() => client.reloads.length > 0, "the reload after the restart", 10_000);
  } finally {
    await client.stop();
  }
});
