/**
 * Inbound media download for the agent: `getFile`, then the file URL, read
 * within the account's `mediaMaxMb` cap (checked before and while reading).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import type { MediaRef } from "./_normalize.ts";

/** The one call this needs (grammY's `api.getFile`). */
export interface FileApi {
  getFile(
    fileId: string,
    signal?: AbortSignal,
  ): Promise<{ file_path?: string; file_size?: number }>;
}

/** Downloads an image; throws naming the size and the cap when it is too large. */
export async function downloadImage(
  api: FileApi,
  opts: { apiRoot: string; token: string; media: MediaRef; maxBytes: number; signal: AbortSignal },
): Promise<{ data: string; mimeType: string }> {
  const { media, maxBytes } = opts;
  const tooBig = (n: number) =>
    new Error(
      `Telegram file of ${n} bytes is over the ${maxBytes}-byte cap ` +
        "(raise channels.telegram.mediaMaxMb to accept it)",
    );
  if ((media.size ?? 0) > maxBytes) throw tooBig(media.size!);
  const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(60_000)]);
  const file = await api.getFile(media.fileId, signal);
  if ((file.file_size ?? 0) > maxBytes) throw tooBig(file.file_size!);
  if (!file.file_path) throw new Error(`Telegram getFile gave no file_path for ${media.fileId}`);
  // The URL holds the token: a fetch error is reported without it.
  const res = await fetch(`${opts.apiRoot}/file/bot${opts.token}/${file.file_path}`, { signal })
    .catch((err) => {
      throw new Error(`Telegram file download failed (${(err as Error).name})`);
    });
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new Error(`Telegram file download failed with HTTP ${res.status}`);
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += chunk.length;
    if (total > maxBytes) throw tooBig(total);
    parts.push(chunk);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return { data: Buffer.from(bytes).toString("base64"), mimeType: media.mimeType ?? "image/jpeg" };
}
