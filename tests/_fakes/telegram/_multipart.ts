/**
 * A tolerant `multipart/form-data` parser for the Telegram emulator: grammY
 * writes unquoted file names, which strict parsers refuse. Test code only.
 *
 * @module
 */

import { Buffer } from "node:buffer";

/** One uploaded file part. */
export interface UploadPart {
  filename: string;
  data: Buffer;
}

/** Parsed form: text fields and file parts by field name. */
export interface ParsedForm {
  fields: Record<string, string>;
  files: Record<string, UploadPart>;
}

/** Splits `buf` on the boundary named in `contentType`. */
export function parseMultipart(buf: Buffer, contentType: string): ParsedForm {
  const fields: Record<string, string> = {};
  const files: Record<string, UploadPart> = {};
  const m = /boundary=("?)([^";]+)\1/i.exec(contentType);
  if (!m) return { fields, files };
  const delim = Buffer.from(`--${m[2]}`);
  let pos = buf.indexOf(delim);
  while (pos !== -1) {
    let start = pos + delim.length;
    if (buf.subarray(start, start + 2).toString() === "--") break;
    if (buf.subarray(start, start + 2).toString() === "\r\n") start += 2;
    const next = buf.indexOf(delim, start);
    if (next === -1) break;
    let part = buf.subarray(start, next);
    if (part.subarray(-2).toString() === "\r\n") part = part.subarray(0, -2);
    const headEnd = part.indexOf("\r\n\r\n");
    const head = part.subarray(0, headEnd).toString();
    const body = part.subarray(headEnd + 4);
    const name = /name="([^"]+)"/i.exec(head)?.[1];
    const filename = /filename=("?)([^";\r\n]+)\1/i.exec(head)?.[2];
    if (name) {
      if (filename !== undefined) files[name] = { filename, data: Buffer.from(body) };
      else fields[name] = body.toString();
    }
    pos = next;
  }
  return { fields, files };
}
