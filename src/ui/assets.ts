/**
 * Content hashes for control UI asset names (`app-<hash>.js`).
 *
 * @module
 */

/** The first 10 hex digits of the SHA-256 of `bytes`. */
export async function contentHash(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  return [...digest.slice(0, 5)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
