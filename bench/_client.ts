/**
 * The load generator's connection: a web-standard `WebSocket` that performs
 * the handshake (challenge -> connect -> hello-ok) and correlates `req`/`res`
 * by id. Deliberately thin so it costs the same against either server.
 *
 * @module
 */

/** A response frame as the benchmark reads it. */
export interface ResFrame {
  type: "res";
  id: string;
  ok: boolean;
  payload?: unknown;
  error?: { code: string; message: string };
}

/** Options of {@link BenchSocket.open}. */
export interface OpenOptions {
  token: string;
  /** Gives up on the handshake after this long (default 5000 ms). */
  timeoutMs?: number;
}

/** The `connect` params every benchmark socket sends (the CLI's identity). */
export function connectParams(token: string): Record<string, unknown> {
  return {
    minProtocol: 3,
    maxProtocol: 4,
    client: { id: "cli", version: "bench", platform: Deno.build.os, mode: "cli" },
    role: "operator",
    scopes: ["operator.admin"],
    auth: { token },
  };
}

/** An authenticated benchmark connection. */
export class BenchSocket {
  #ws: WebSocket;
  #pending = new Map<string, (res: ResFrame) => void>();
  #next = 0;
  #closed: Promise<void>;
  #onChallenge: (() => void) | undefined;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.onmessage = (e) => this.#onFrame(JSON.parse(String(e.data)));
    this.#closed = new Promise((resolve) => ws.addEventListener("close", () => resolve()));
    ws.addEventListener("close", () => {
      const gone: ResFrame = { type: "res", id: "", ok: false, error: closedError };
      for (const resolve of this.#pending.values()) resolve(gone);
      this.#pending.clear();
    });
  }

  /**
   * Opens `url` and completes the handshake; rejects when the socket cannot
   * open (e.g. connection refused), closes early, or the connect is refused.
   */
  static open(url: string, opts: OpenOptions): Promise<BenchSocket> {
    const ws = new WebSocket(url);
    const sock = new BenchSocket(ws);
    return new Promise<BenchSocket>((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        try {
          ws.close();
        } catch { /* not open yet */ }
        reject(new Error(why));
      };
      const timer = setTimeout(() => fail("handshake timed out"), opts.timeoutMs ?? 5000);
      ws.onerror = () => fail("socket error");
      ws.onclose = (e) => fail(`socket closed during handshake (${e.code})`);
      sock.#onChallenge = () => {
        sock.#onChallenge = undefined;
        sock.#send("connect", connectParams(opts.token)).then((res) => {
          if (!res.ok) return fail(`connect refused: ${res.error?.message}`);
          clearTimeout(timer);
          ws.onerror = null;
          ws.onclose = null;
          resolve(sock);
        });
      };
    });
  }

  #onFrame(frame: { type?: string; id?: string; event?: string }): void {
    if (frame.type === "event" && frame.event === "connect.challenge") return this.#onChallenge?.();
    if (frame.type !== "res" || frame.id === undefined) return; // other events are ignored
    const resolve = this.#pending.get(frame.id);
    if (!resolve) return;
    this.#pending.delete(frame.id);
    resolve(frame as ResFrame);
  }

  #send(method: string, params: unknown): Promise<ResFrame> {
    const id = String(++this.#next);
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      this.#ws.send(JSON.stringify({ type: "req", id, method, params }));
    });
  }

  /** Sends one request and resolves with its response (never rejects). */
  request(method: string, params: unknown = {}): Promise<ResFrame> {
    if (this.#ws.readyState !== WebSocket.OPEN) {
      return Promise.resolve({ type: "res", id: "", ok: false, error: closedError });
    }
    return this.#send(method, params);
  }

  /** Closes the socket and waits (bounded) for the close to complete. */
  async close(timeoutMs = 1000): Promise<void> {
    try {
      this.#ws.close();
    } catch { /* already closing */ }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => timer = setTimeout(resolve, timeoutMs));
    await Promise.race([this.#closed, timeout]);
    clearTimeout(timer);
  }
}

const closedError = { code: "CLOSED", message: "socket closed" };
