/**
 * Text from the network made safe for a terminal. Node names, versions and
 * command output are chosen by the node; printed raw, an escape sequence in
 * them could write the operator's clipboard (OSC 52), redraw the screen or
 * reorder what it shows (bidi overrides).
 *
 * @module
 */

import type { Io } from "./context.ts";

/**
 * C0 controls but newline and tab, DEL, C1 controls, bidi marks,
 * embeddings, overrides and isolates.
 */
const CONTROL =
  // deno-lint-ignore no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every terminal control character shown as `\u{…}` instead of acted on. */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/**
 * JSON text whose controls are all escaped (`JSON.stringify` leaves DEL, C1
 * and bidi characters raw): the same data, inert on a terminal.
 */
export function printableJson(json: string): string {
  return json.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * `io` with every write made inert: the one place CLI output meets the
 * terminal, so session labels, channel names, log lines and replies the
 * gateway sends cannot act on it (OSC 52, CSI, bidi overrides). Controls
 * become `\uXXXX` text (see {@link printableJson}): JSON output stays valid
 * JSON with the same data, and in plain text the operator sees that
 * something was there. Tab and newline pass (log lines keep their tabs).
 */
export function terminalIo(io: Io): Io {
  const inert = (write: (text: string) => void) => (text: string) => write(printableJson(text));
  return {
    out: inert((t) => io.out(t)),
    err: inert((t) => io.err(t)),
    ...(io.write ? { write: inert((t) => io.write!(t)) } : {}),
  };
}
