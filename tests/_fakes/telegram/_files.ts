/**
 * Files of the emulator: uploads (multipart, as grammY sends them, or the
 * test-side `/uploadFile`), `getFile` metadata and downloads.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { parseMultipart, type UploadPart } from "./_multipart.ts";
import type { Any } from "./_wire.ts";

/** One stored file. */
export interface StoredFile {
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_path: string;
  data: Buffer;
}

/** The emulator's file storage. */
export class FileStore {
  #files = new Map<string, StoredFile>();
  #seq = 1;

  /** Stores `data`; returns its Bot API file record. */
  add(data: Buffer, name = "file.bin"): StoredFile {
    const n = this.#seq++;
    const f = {
      file_id: `FILE${n}`,
      file_unique_id: `U${n}`,
      file_size: data.length,
      file_path: `files/${n}_${name}`,
      data,
    };
    this.#files.set(f.file_id, f);
    return f;
  }

  get(fileId: string): StoredFile | undefined {
    return this.#files.get(fileId);
  }

  byPath(path: string): StoredFile | undefined {
    return [...this.#files.values()].find((x) => x.file_path === path);
  }
}

function readRaw(req: Any): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * The params of a `sendPhoto`/`sendDocument` call and the uploaded part it
 * refers to (`attach://name`), whether sent as JSON or multipart.
 */
export async function mediaParams(
  req: Any,
  kind: string,
): Promise<{ params: Any; upload?: UploadPart }> {
  const type = String(req.headers["content-type"] ?? "");
  if (!type.startsWith("multipart/form-data")) {
    return { params: { ...req.query, ...(req.body ?? {}) } };
  }
  const form = parseMultipart(await readRaw(req), type);
  const params: Any = { ...form.fields };
  const ref = params[kind];
  const upload = typeof ref === "string" && ref.startsWith("attach://")
    ? form.files[ref.slice(9)]
    : undefined;
  return { params, ...(upload ? { upload } : {}) };
}
