/**
 * `logs.tail`: read the gateway's file log from a cursor, so `openclaw logs`
 * works remotely and never tails the file itself.
 *
 * @module
 */

import { type Static, Type } from "@sinclair/typebox";

const closed = { additionalProperties: false } as const;

export const LogsTailParams = Type.Object({
  /** Byte offset returned by the previous call; omit to read the last `limit` lines. */
  cursor: Type.Optional(Type.Integer({ minimum: 0 })),
  /**
   * The `file` of the answer `cursor` came from. When that is an earlier
   * day's file, its remaining lines are read before today's file.
   */
  file: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000 })),
  maxBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
}, closed);
export type LogsTailParams = Static<typeof LogsTailParams>;

export const LogsTailResult = Type.Object({
  file: Type.String(),
  cursor: Type.Integer({ minimum: 0 }),
  size: Type.Integer({ minimum: 0 }),
  lines: Type.Array(Type.String()),
  truncated: Type.Optional(Type.Boolean()),
  /** The file rotated or shrank since the cursor: reading restarted at the top. */
  reset: Type.Optional(Type.Boolean()),
}, closed);
export type LogsTailResult = Static<typeof LogsTailResult>;
