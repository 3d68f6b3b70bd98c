/**
 * A server-side WebSocket over a raw TCP connection, after the HTTP upgrade.
 * Reads into a small buffer that grows only while data keeps coming, checks
 * every message's size from the frame header ({@link FrameDecoder}), and
 * queues writes so `bufferedAmount` counts what the kernel has not taken yet.
 *
 * @module
 */

import { encodeClose, encodeFrame, encodeText, FrameDecoder, type FrameSink } from "./ws_frames.ts";

/** What the connection reports to its owner (the session adapter). */
export interface WsEvents {
  onMessage(data: string | Uint8Array): void;
  onClose(): void;
  /** The largest message accepted now, in bytes (may change after `connect`). */
  maxMessageBytes(): number;
}

/** The byte stream under a WebSocket (a `Deno.Conn` in production). */
export interface ByteConn {
  read(buf: Uint8Array): Promise<number | null>;
  write(data: Uint8Array): Promise<number>;
  close(): void;
  closeWrite(): Promise<void>;
}

/** How long a close may wait for the peer (its close frame, or a stalled reader) before the TCP connection is dropped. */
export const CLOSE_TIMEOUT_MS = 2000;
const MIN_READ = 512;
const MAX_READ = 64 * 1024;
/** Pongs are sent only while less than this is queued. */
const PONG_BACKLOG = 64 * 1024;
/** One write op carries at most this much of the queue. */
const MAX_WRITE = 256 * 1024;

const EMPTY = new Uint8Array(0);
const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/**
 * A WebSocket whose frames are encoded and decoded in this process. It is
 * its decoder's {@link FrameSink} (the `on*` methods), so a connection
 * costs no per-socket closures.
 */
export class WsConn implements FrameSink {
  readyState = CONNECTING;
  #conn: ByteConn;
  #events: WsEvents | undefined;
  #onEnd: (() => void) | undefined;
  #queue: Uint8Array[] = [];
  #buffered = 0;
  #pumping = false;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;
  #finished = false;
  /** What to do once the queue is written: nothing, end the connection, or half-close. */
  #afterFlush: "none" | "close" | "half" = "none";

  constructor(conn: ByteConn) {
    this.#conn = conn;
  }

  #lastSeen = Date.now();
  #pinged = false;

  /**
   * Liveness, called periodically by the listener: a peer silent for
   * `idleMs` gets a ping; one still silent `idleMs` after that is closed.
   * (Browsers and Deno answer pings by themselves.)
   */
  checkIdle(now: number, idleMs: number): void {
    if (this.readyState !== OPEN) return;
    if (now - this.#lastSeen < idleMs) return void (this.#pinged = false);
    if (!this.#pinged) {
      this.#pinged = true;
      this.#enqueue(encodeFrame(9, new Uint8Array(0)));
      return;
    }
    if (now - this.#lastSeen >= 2 * idleMs) this.close(1001, "ping timeout");
  }

  /** Bytes queued and not yet taken by the kernel. */
  get bufferedAmount(): number {
    return this.#buffered;
  }

  /**
   * Opens the socket. `preface` (the 101 answer) goes out with the first
   * frames sent before {@link WsConn.flush}, in one write; `onEnd` hears
   * that the connection ended, before `events.onClose`. Reading starts with
   * {@link WsConn.run}.
   */
  start(events: WsEvents, opts: { preface?: Uint8Array; onEnd?: () => void } = {}): void {
    const preface = opts.preface;
    if (preface) (this.#queue.push(preface), this.#buffered += preface.length);
    this.#events = events;
    this.#onEnd = opts.onEnd;
    this.#decoder = new FrameDecoder(this);
    this.readyState = OPEN;
  }

  /** Decoder report: a text message. */
  onText(data: string): void {
    if (this.readyState === OPEN) this.#events?.onMessage(data);
  }

  /** Decoder report: a binary message. */
  onBinary(data: Uint8Array): void {
    if (this.readyState === OPEN) this.#events?.onMessage(data);
  }

  /** Decoder report: a ping, answered with a pong. */
  onPing(payload: Uint8Array): void {
    // A peer that pings without reading must not grow the queue: past a
    // small backlog pongs are skipped (RFC 6455 5.5.3 allows answering
    // only the latest ping).
    if (this.readyState === OPEN && this.#buffered <= PONG_BACKLOG) {
      this.#enqueue(encodeFrame(10, payload));
    }
  }

  /** Decoder report: the peer's close frame. */
  onPeerClose(code: number): void {
    if (this.readyState === OPEN) {
      // Echo the peer's close, then end the TCP connection (the server closes first).
      const echo = code === 1005 ? new Uint8Array(0) : encodeClose(code, "").subarray(2);
      this.#enqueue(encodeFrame(8, echo));
    }
    // The closing handshake is complete once the echo is out.
    this.readyState = CLOSING;
    this.#afterFlush = "close";
    if (!this.#pumping) this.#finish();
  }

  /** Decoder report: a protocol violation. */
  onViolation(code: number, reason: string): void {
    this.#failWith(code, reason);
  }

  /** Decoder question: the largest message accepted now. */
  maxMessageBytes(): number {
    return this.#events?.maxMessageBytes() ?? 0;
  }

  #decoder: FrameDecoder | undefined;

  /** Starts reading; `initial` holds bytes that arrived with the upgrade request. */
  run(initial: Uint8Array): void {
    if (initial.length) this.#decoder!.push(initial);
    this.#buf = new Uint8Array(MIN_READ);
    this.#read();
  }

  // The read loop as a promise chain with two handlers made once per socket:
  // a suspended async function would keep a generator, its registers and
  // its resume closures alive on every idle connection.
  #buf = EMPTY;
  #read(): void {
    this.#conn.read(this.#buf).then(this.#onRead, this.#onReadError);
  }

  #onRead = (n: number | null): void => {
    if (n === null) return this.#finish();
    try {
      this.#lastSeen = Date.now();
      const decoder = this.#decoder!;
      if (!decoder.failed && this.readyState !== CLOSED) decoder.push(this.#buf, n);
      // Grow while reads fill the buffer; idle sockets hold only MIN_READ.
      const size = this.#buf.length;
      const next = n === size ? Math.min(size * 4, MAX_READ) : n < MIN_READ ? MIN_READ : size;
      if (next !== size) this.#buf = new Uint8Array(next);
    } catch {
      // A handler failed: the connection cannot go on in an unknown state.
      return this.#finish();
    }
    if (!this.#finished) this.#read();
  };

  // Reset or closed locally: either way the connection is over.
  #onReadError = (): void => this.#finish();

  /** Sends a text message. */
  send(text: string): void {
    if (this.readyState !== OPEN) return;
    this.#enqueue(encodeText(text));
  }

  /** Starts the closing handshake; the TCP connection ends within {@link CLOSE_TIMEOUT_MS}. */
  close(code = 1000, reason = ""): void {
    if (this.readyState >= CLOSING) return;
    this.readyState = CLOSING;
    this.#enqueue(encodeClose(code, reason));
    this.#closeTimer = setTimeout(() => this.#finish(), CLOSE_TIMEOUT_MS);
  }

  /** A protocol violation: close frame, then half-close and drop what the peer still sends. */
  #failWith(code: number, reason: string): void {
    if (this.readyState >= CLOSING) return;
    this.close(code, reason);
    this.#afterFlush = "half";
  }

  #notifyClosed(): void {
    const events = this.#events;
    const onEnd = this.#onEnd;
    this.#events = undefined;
    this.#onEnd = undefined;
    onEnd?.();
    events?.onClose();
  }

  /** Writes whatever is queued (the preface, when nothing was sent after it). */
  flush(): void {
    if (this.#pumping || !this.#queue.length) return;
    this.#pumping = true;
    this.#pump();
  }

  #enqueue(frame: Uint8Array): void {
    this.#queue.push(frame);
    this.#buffered += frame.length;
    if (this.#pumping || this.readyState === CONNECTING) return;
    this.#pumping = true;
    // Frames queued while a write is under way leave together in the next one.
    this.#pump();
  }

  // Callback-driven rather than an async loop: one promise per write, the op's own.
  #pump(): void {
    if (!this.#queue.length || this.#finished) return this.#drained();
    let chunk: Uint8Array;
    if (this.#queue.length === 1 || this.#queue[0].length >= MAX_WRITE) {
      chunk = this.#queue.shift()!;
    } else {
      let total = 0;
      let k = 0;
      while (k < this.#queue.length && total + this.#queue[k].length <= MAX_WRITE) {
        total += this.#queue[k++].length;
      }
      const parts = this.#queue.splice(0, k);
      chunk = new Uint8Array(total);
      let at = 0;
      for (const p of parts) (chunk.set(p, at), at += p.length);
    }
    this.#conn.write(chunk).then((n) => {
      this.#buffered -= n;
      if (n < chunk.length) this.#queue.unshift(chunk.subarray(n));
      this.#pump();
    }, () => {
      this.#pumping = false;
      this.#finish();
    });
  }

  #drained(): void {
    this.#pumping = false;
    if (this.#afterFlush === "close") this.#finish();
    else if (this.#afterFlush === "half" && !this.#finished) {
      // Half-close: the peer reads our close frame, then sees the end; what it
      // still sends is read and dropped until it closes (no reset loses the frame).
      this.#conn.closeWrite().catch(() => {});
      this.#closeTimer ??= setTimeout(() => this.#finish(), CLOSE_TIMEOUT_MS);
    }
  }

  /** Ends the TCP connection and reports the close (once). */
  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.readyState = CLOSED;
    clearTimeout(this.#closeTimer);
    this.#queue = [];
    this.#buffered = 0;
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
    this.#notifyClosed();
  }
}
