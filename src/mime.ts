/**
 * The one table of media types by file extension: files served over HTTP
 * (control UI, canvas), images the `read` tool attaches, and media the
 * channels send. Pure data and two lookups; no I/O.
 *
 * @example
 * ```ts
 * mimeTypeOf("photo.JPG"); // "image/jpeg"
 * contentTypeOf("app.js"); // "text/javascript; charset=utf-8"
 * ```
 *
 * @module
 */

const BY_EXTENSION: Readonly<Record<string, string>> = {
  html: "text/html",
  htm: "text/html",
  js: "text/javascript",
  mjs: "text/javascript",
  css: "text/css",
  json: "application/json",
  txt: "text/plain",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  bmp: "image/bmp",
  ico: "image/x-icon",
  wasm: "application/wasm",
  woff2: "font/woff2",
  mp4: "video/mp4",
  mov: "video/quicktime",
  ogg: "audio/ogg",
  opus: "audio/ogg",
  mp3: "audio/mpeg",
  m4a: "audio/mp4",
  pdf: "application/pdf",
};

/** What a file of unknown type is sent as. */
export const OCTET_STREAM = "application/octet-stream";

/** The media type of a file name or path by its extension (any case), if known. */
export function mimeTypeOf(name: string): string | undefined {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  if (dot < 0) return undefined;
  const ext = base.slice(dot + 1).toLowerCase();
  return Object.hasOwn(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : undefined;
}

/**
 * The HTTP `content-type` of a file: its media type, with `charset=utf-8`
 * on text (a browser must not guess the encoding), else octet-stream.
 */
export function contentTypeOf(name: string): string {
  const type = mimeTypeOf(name);
  if (!type) return OCTET_STREAM;
  const text = type.startsWith("text/") || type === "application/json";
  return text ? `${type}; charset=utf-8` : type;
}
