/**
 * Protocol versions this gateway speaks.
 *
 * Version 3 is the long-lived one most third-party clients pin; version 4 is
 * current upstream. A client offers `[minProtocol, maxProtocol]` and gets the
 * highest version both sides share.
 *
 * @module
 */

/** Oldest protocol version the gateway accepts. */
export const MIN_PROTOCOL = 3;
/** Newest protocol version the gateway speaks. */
export const MAX_PROTOCOL = 4;

/**
 * The highest version in both ranges, or `undefined` when they do not overlap.
 *
 * @example
 * negotiateProtocol(3, 3) // 3
 * negotiateProtocol(3, 9) // 4
 * negotiateProtocol(5, 6) // undefined
 */
export function negotiateProtocol(clientMin: number, clientMax: number): number | undefined {
  const best = Math.min(MAX_PROTOCOL, clientMax);
  return best >= Math.max(MIN_PROTOCOL, clientMin) ? best : undefined;
}
