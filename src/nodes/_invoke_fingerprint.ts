/**
 * What an idempotency key promises to repeat: the command and its params.
 * Kept as a short hash, not the params themselves, so the 1000 remembered
 * keys never hold 1000 large payloads.
 *
 * @module
 */

/**
 * A 53-bit hash (cyrb53) of `command` and the JSON of `params`, in base 36.
 * Not a security boundary: it tells a retry from a different request that
 * reuses the key by mistake; the caller chose the key and holds the scope.
 */
export function invokeFingerprint(command: string, params: unknown): string {
  const text = `${command}\u0000${params === undefined ? "" : JSON.stringify(params)}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
