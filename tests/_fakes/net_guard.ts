/**
 * A test guard that blocks and records every attempt to reach a host other
 * than loopback from this test module's isolate: `node:net`/`node:tls`
 * connects (what Baileys' `ws` client uses), `node:dns` lookups, `fetch`,
 * `WebSocket`, `Deno.connect` and `Deno.connectTls`.
 *
 * @example
 * ```ts
 * using guard = installNetGuard();
 * // ... the test ...
 * guard.assertClean(); // throws naming every blocked attempt
 * ```
 *
 * @module
 */

import net from "node:net";
import tls from "node:tls";
import dns from "node:dns";

/** What a guard saw; `restore()` (or `using`) puts every patched function back. */
export interface NetGuard extends Disposable {
  /** Every destination tried, loopback included (`host:port`, `fetch URL`, ...). */
  readonly attempts: string[];
  /** The non-loopback ones, which were refused. */
  readonly blocked: string[];
  /** Throws if anything was blocked. */
  assertClean(): void;
  restore(): void;
}

/** Whether `host` is loopback (127.0.0.0/8, ::1, localhost) or a unix socket path. */
export function isLoopback(host: string | undefined): boolean {
  if (host === undefined || host === "") return true; // node defaults to localhost
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h) ||
    h === "::ffff:127.0.0.1";
}

function hostOfUrl(u: string): string | undefined {
  try {
    return new URL(u).hostname;
  } catch {
    return undefined;
  }
}

type AnyFn = (...args: unknown[]) => unknown;

/** Installs the guard; only one per isolate at a time. */
export function installNetGuard(): NetGuard {
  const attempts: string[] = [];
  const blocked: string[] = [];
  const undo: (() => void)[] = [];
  const check = (what: string, host: string | undefined) => {
    attempts.push(what);
    if (isLoopback(host)) return;
    blocked.push(what);
    throw new Error(`Net guard: blocked ${what} (tests may only reach loopback)`);
  };
  const patch = <T extends object>(obj: T, key: keyof T, wrap: (orig: AnyFn) => AnyFn) => {
    const orig = obj[key] as AnyFn;
    (obj as Record<keyof T, unknown>)[key] = wrap(orig);
    undo.push(() => ((obj as Record<keyof T, unknown>)[key] = orig));
  };

  const socketTarget = (args: unknown[]): { host?: string; port?: unknown; path?: string } => {
    const a0 = Array.isArray(args[0]) ? args[0][0] : args[0];
    if (a0 !== null && typeof a0 === "object") return a0 as { host?: string; port?: unknown };
    if (typeof a0 === "string" && !/^\d+$/.test(a0)) return { path: a0 };
    return { port: a0, host: typeof args[1] === "string" ? args[1] : undefined };
  };
  patch(net.Socket.prototype, "connect", (orig) =>
    function (this: unknown, ...args: unknown[]) {
      const t = socketTarget(args);
      if (!t.path) check(`connect ${t.host ?? "localhost"}:${t.port ?? ""}`, t.host);
      return orig.apply(this, args);
    });
  patch(tls, "connect", (orig) =>
    function (this: unknown, ...args: unknown[]) {
      const t = socketTarget(args);
      check(`tls ${t.host ?? "localhost"}:${t.port ?? ""}`, t.host);
      return orig.apply(this, args);
    });
  patch(dns, "lookup", (orig) =>
    function (this: unknown, ...args: unknown[]) {
      check(`dns ${String(args[0])}`, String(args[0]));
      return orig.apply(this, args);
    });
  patch(dns.promises, "lookup", (orig) =>
    function (this: unknown, ...args: unknown[]) {
      check(`dns ${String(args[0])}`, String(args[0]));
      return orig.apply(this, args);
    });
  // Async APIs reject (as a refused connection would) instead of throwing.
  const rejecting = (fn: () => unknown) => {
    try {
      return fn();
    } catch (err) {
      return Promise.reject(err);
    }
  };
  patch(globalThis, "fetch", (orig) => (input: unknown, ...rest: unknown[]) =>
    rejecting(() => {
      const u = input instanceof Request ? input.url : String(input);
      check(`fetch ${u}`, hostOfUrl(u));
      return orig(input, ...rest);
    }));
  const OrigWebSocket = globalThis.WebSocket;
  globalThis.WebSocket = class extends OrigWebSocket {
    constructor(url: string | URL, protocols?: ConstructorParameters<typeof WebSocket>[1]) {
      check(`websocket ${String(url)}`, hostOfUrl(String(url)));
      super(url, protocols);
    }
  };
  undo.push(() => (globalThis.WebSocket = OrigWebSocket));
  for (const key of ["connect", "connectTls"] as const) {
    patch(Deno, key, (orig) => (opts: unknown) =>
      rejecting(() => {
        const o = opts as { hostname?: string; port?: number; transport?: string };
        if (o.transport !== "unix") {
          check(`${key} ${o.hostname ?? "127.0.0.1"}:${o.port}`, o.hostname ?? "127.0.0.1");
        }
        return orig(opts);
      }));
  }

  const restore = () => {
    while (undo.length) undo.pop()!();
  };
  return {
    attempts,
    blocked,
    assertClean() {
      if (blocked.length) {
        throw new Error(
          `Net guard: ${blocked.length} non-loopback attempt(s): ${blocked.join(", ")}`,
        );
      }
    },
    restore,
    [Symbol.dispose]: restore,
  };
}

/**
 * `Deno.test` with the guard around the test body: the test fails if the
 * body tried to reach anything beyond loopback.
 */
export function guardedTest(
  def: Deno.TestDefinition,
): void {
  const body = def.fn;
  Deno.test({
    ...def,
    fn: async (t) => {
      const guard = installNetGuard();
      try {
        await body(t);
      } finally {
        guard.restore();
      }
      guard.assertClean();
    },
  });
}
