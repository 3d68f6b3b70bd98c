/**
 * Reading one inbound WebSocket message as a request frame: the size cap,
 * JSON, and the frame schema, with what a bad message earns. Before
 * `connect` succeeds a bad message closes the socket; after it, the client
 * gets an error answer and the socket stays open.
 *
 * @module
 */

import type { RequestFrame, ResponseFrame } from "../../protocol/frames.ts";
import { checkRequestFrame } from "../../protocol/validate.ts";
import { CloseCodes, closeReason } from "./handshake.ts";
import { invalidFrameResponse } from "./router.ts";

/** A request frame, or what to do about a message that is not one. */
export type Inbound =
  | { ok: true; req: RequestFrame }
  | {
    ok: false;
    /** An error answer to send (before any close). */
    reply?: ResponseFrame;
    /** Close the socket with this code and reason. */
    close?: { code: number; reason: string };
    /** Set for unparseable JSON on an open socket: its size, for a warning. */
    malformedBytes?: number;
  };

/** Whether `text` is over `limit` UTF-8 bytes, encoding only when the length cannot tell. */
function exceeds(text: string, limit: number): boolean {
  // A UTF-16 unit is 1 to 3 UTF-8 bytes, so the length bounds the size both ways.
  if (text.length > limit) return true;
  if (text.length * 3 <= limit) return false;
  return new TextEncoder().encode(text).length > limit;
}

/** Reads `data` as a request frame of at most `limit` bytes; `pending` before `hello-ok`. */
export function readInbound(data: unknown, opts: { pending: boolean; limit: number }): Inbound {
  const { pending } = opts;
  if (typeof data !== "string") {
    if (pending) return { ok: false, close: policy("invalid request frame") };
    return {
      ok: false,
      reply: invalidFrameResponse(
        undefined,
        "invalid request frame: binary frames are not supported",
      ),
    };
  }
  if (exceeds(data, opts.limit)) {
    return {
      ok: false,
      close: { code: CloseCodes.MESSAGE_TOO_BIG, reason: "Max payload size exceeded" },
    };
  }
  let frame: unknown;
  try {
    frame = JSON.parse(data);
  } catch {
    // The parser's message quotes the frame, which may hold a secret: say only where.
    if (pending) return { ok: false, close: policy("invalid request frame: malformed JSON") };
    return {
      ok: false,
      reply: invalidFrameResponse(undefined, "malformed JSON: not a JSON text"),
      malformedBytes: data.length,
    };
  }
  const checked = checkRequestFrame(frame);
  if (checked.ok) return { ok: true, req: checked.value };
  const id = (frame as { id?: unknown } | null)?.id;
  const message = `invalid request frame: ${checked.message}`;
  if (!pending) return { ok: false, reply: invalidFrameResponse(id, message) };
  // A request-shaped frame learns which field is wrong before the close.
  return {
    ok: false,
    ...(typeof id === "string" && id ? { reply: invalidFrameResponse(id, message) } : {}),
    close: policy(closeReason(message)),
  };
}

function policy(reason: string): { code: number; reason: string } {
  return { code: CloseCodes.POLICY_VIOLATION, reason };
}
