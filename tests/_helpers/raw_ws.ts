/**
 * A raw WebSocket client for protocol tests: sends arbitrary text or binary,
 * records every frame it receives (from the challenge on) and the close, so a
 * test can assert on exact frames and their order.
 *
 * @module
 */

import { TEST_TOKEN } from "./gateway.ts";

/** Any frame the gateway sends, loosely typed for assertions. */
export interface WireFrame {
  type: string;
  id?: string;
  ok?: boolean;
  event?: string;
  seq?: number;
  stateVersion?: { presence: number; health: number };
  // deno-lint-ignore no-explicit-any
  payload?: any;
  error?: { code: string; message: string; details?: { code?: string }; retryAfterMs?: number };
}

/** The close as the client saw it. */
export interface CloseInfo {
  code: number;
  reason: string;
}

/** Connect params with test defaults; `overrides` replace top-level keys. */
export function connectParams(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    minProtocol: 3,
    maxProtocol: 4,
    client: { id: "test", version: "0.0.0", platform: "test", mode: "test" },
    role: "operator",
    scopes: ["operator.admin"],
    auth: { token: TEST_TOKEN },
    ...overrides,
  };
}

/** A recorded WebSocket connection. */
export class RawWs {
  /** Every parsed frame, in arrival order. */
  readonly frames: WireFrame[] = [];
  /** Arrival order of frames and the close, e.g. `["event:tick", "close:1001"]`. */
  readonly order: string[] = [];
  readonly closed: Promise<CloseInfo>;
  #ws: WebSocket;
  #taken = new Set<number>();
  #wake = new Set<() => void>();
  #isClosed = false;
  #nextId = 1;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.binaryType = "arraybuffer";
    ws.onmessage = (e) => {
      const frame = JSON.parse(String(e.data)) as WireFrame;
      this.frames.push(frame);
      this.order.push(frame.type === "event" ? `event:${frame.event}` : `res:${frame.id}`);
      for (const fn of [...this.#wake]) fn();
    };
    ws.onerror = () => {};
    this.closed = new Promise((resolve) => {
      ws.onclose = (e) => {
        this.#isClosed = true;
        this.order.push(`close:${e.code}`);
        resolve({ code: e.code, reason: e.reason });
        for (const fn of [...this.#wake]) fn();
      };
    });
  }

  /**
   * Opens a socket to `url` (with extra request `headers`, e.g. `Origin`) and
   * waits until it is open, at most `timeoutMs`.
   */
  static open(
    url: string,
    opts: { headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<RawWs> {
    // Deno's WebSocket takes request headers (not in the web standard).
    const ws = new WebSocket(url, { headers: opts.headers } as unknown as string[]);
    const raw = new RawWs(ws);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        ws.close();
        reject(new Error(`not open within ${opts.timeoutMs ?? 3000} ms`));
      }, opts.timeoutMs ?? 3000);
      ws.onopen = () => (clearTimeout(t), resolve(raw));
      raw.closed.then((c) => {
        clearTimeout(t);
        reject(new Error(`closed before open (${c.code} ${c.reason})`));
      });
    });
  }

  /** Opens a socket and completes `connect`; throws when the gateway refuses. */
  static async connect(
    url: string,
    overrides: Record<string, unknown> = {},
    headers?: Record<string, string>,
  ): Promise<RawWs> {
    const raw = await RawWs.open(url, { headers });
    const res = await raw.handshake(overrides);
    if (!res.ok) throw new Error(`connect refused: ${JSON.stringify(res.error)}`);
    return raw;
  }

  /** Whether the close arrived. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /** Sends text or binary as is. */
  send(data: string | Uint8Array): void {
    this.#ws.send(data);
  }

  /** Sends a `connect` request (test defaults + `overrides`) and returns its response. */
  handshake(overrides: Record<string, unknown> = {}): Promise<WireFrame> {
    this.send(
      JSON.stringify({
        type: "req",
        id: "connect",
        method: "connect",
        params: connectParams(overrides),
      }),
    );
    return this.next((f) => f.type === "res" && f.id === "connect");
  }

  /** Sends a request and returns its response frame (ok or not). */
  request(method: string, params?: unknown): Promise<WireFrame> {
    const id = `r${this.#nextId++}`;
    this.send(
      JSON.stringify({ type: "req", id, method, ...(params === undefined ? {} : { params }) }),
    );
    return this.next((f) => f.type === "res" && f.id === id);
  }

  /**
   * The first received frame matching `pred` that no earlier `next` returned;
   * waits up to `timeoutMs` for it, and fails early if the socket closes.
   */
  next(pred: (f: WireFrame) => boolean, timeoutMs = 3000): Promise<WireFrame> {
    const find = () => {
      const i = this.frames.findIndex((f, i) => !this.#taken.has(i) && pred(f));
      if (i >= 0) this.#taken.add(i);
      return i >= 0 ? this.frames[i] : undefined;
    };
    const hit = find();
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake.delete(check);
      };
      const check = () => {
        const f = find();
        if (f) return done(), resolve(f);
        if (this.#isClosed) {
          done();
          reject(new Error(`socket closed; frames so far: ${this.order.join(", ")}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(`no matching frame within ${timeoutMs} ms; got: ${this.order.join(", ")}`),
        );
      }, timeoutMs);
      this.#wake.add(check);
    });
  }

  /** The next event named `name`. */
  nextEvent(name: string, timeoutMs?: number): Promise<WireFrame> {
    return this.next((f) => f.type === "event" && f.event === name, timeoutMs);
  }

  /** Every received event named `name`. */
  events(name: string): WireFrame[] {
    return this.frames.filter((f) => f.type === "event" && f.event === name);
  }

  /** Waits for the close, failing after `timeoutMs`. */
  waitClosed(timeoutMs = 3000): Promise<CloseInfo> {
    let timer: ReturnType<typeof setTimeout>;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`socket still open after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    return Promise.race([this.closed, timeout]).finally(() => clearTimeout(timer));
  }

  /** Closes (if open) and waits for the close, at most 3 s. */
  async close(): Promise<void> {
    if (this.#ws.readyState < WebSocket.CLOSING) this.#ws.close(1000);
    await this.waitClosed();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Sends a hand-written upgrade request over TCP and returns the status line
 * of the answer (e.g. `HTTP/1.1 403 Forbidden`), within `timeoutMs`.
 */
export async function rawUpgradeStatus(
  port: number,
  opts: { method?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const t = setTimeout(() => conn.close(), opts.timeoutMs ?? 3000);
  try {
    const headers: Record<string, string> = {
      Host: `127.0.0.1:${port}`,
      Upgrade: "websocket",
      Connection: "Upgrade",
      "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version": "13",
      ...opts.headers,
    };
    const head = `${opts.method ?? "GET"} / HTTP/1.1\r\n` +
      Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("") + "\r\n";
    await conn.write(new TextEncoder().encode(head));
    const buf = new Uint8Array(4096);
    const n = await conn.read(buf);
    return new TextDecoder().decode(buf.subarray(0, n ?? 0)).split("\r\n")[0];
  } finally {
    clearTimeout(t);
    try {
      conn.close();
    } catch {
      // Closed by the timeout.
    }
  }
}
