/**
 * A tiny HTTP control channel between a browser test and its driver: the
 * test serves named actions on 127.0.0.1:0 (the fake phone scans the QR, a
 * fake peer sends a DM, a fake node connects), the driver calls them at the
 * right moment with {@link callAction}. Each action has a 60 s limit.
 *
 * @module
 */

/** An action: gets the query parameters, answers with JSON-able data. */
export type Action = (query: URLSearchParams) => Promise<unknown>;

/** The running control server; `await using` stops it. */
export interface TestControl extends AsyncDisposable {
  /** `http://127.0.0.1:P/`, passed to the driver. */
  url: string;
  /** Action errors so far (also answered to the driver as 500s). */
  errors: string[];
}

const ACTION_MS = 60_000;

/** Serves `actions` at `POST /<name>?...`. */
export function startTestControl(actions: Record<string, Action>): TestControl {
  const errors: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const url = new URL(req.url);
    const action = actions[url.pathname.slice(1)];
    if (req.method !== "POST" || !action) return new Response("No such action", { status: 404 });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const limit = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Action ${url.pathname} took over ${ACTION_MS} ms`)),
          ACTION_MS,
        );
      });
      const value = await Promise.race([action(url.searchParams), limit]);
      return Response.json({ value: value ?? null });
    } catch (err) {
      const msg = `${url.pathname}: ${err instanceof Error ? err.stack ?? err.message : err}`;
      errors.push(msg);
      return new Response(msg, { status: 500 });
    } finally {
      clearTimeout(timer);
    }
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/`,
    errors,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
    },
  };
}

/** Driver side: runs action `name` in the test process; throws with its error. */
export async function callAction(
  controlUrl: string,
  name: string,
  query: Record<string, string> = {},
): Promise<unknown> {
  const url = new URL(name, controlUrl);
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const res = await fetch(url, { method: "POST", signal: AbortSignal.timeout(ACTION_MS + 5000) });
  if (!res.ok) throw new Error(`Test action ${name} failed: ${await res.text()}`);
  return (await res.json()).value;
}
