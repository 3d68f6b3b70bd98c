import assert from "node:assert/strict";
import { contentTypeOf, mimeTypeOf, OCTET_STREAM } from "../src/mime.ts";

Deno.test("mimeTypeOf() reads the extension of the last path segment, any case", () => {
  assert.equal(mimeTypeOf("a/b/photo.JPG"), "image/jpeg");
  assert.equal(mimeTypeOf("voice.opus"), "audio/ogg");
  assert.equal(mimeTypeOf("dir.d/README"), undefined);
  assert.equal(mimeTypeOf("x.constructor"), undefined);
});

Deno.test("contentTypeOf() adds charset=utf-8 to text and falls back to octet-stream", () => {
  assert.equal(contentTypeOf("index.html"), "text/html; charset=utf-8");
  assert.equal(contentTypeOf("app.js"), "text/javascript; charset=utf-8");
  assert.equal(contentTypeOf("data.json"), "application/json; charset=utf-8");
  assert.equal(contentTypeOf("logo.png"), "image/png");
  assert.equal(contentTypeOf("blob.bin"), OCTET_STREAM);
});
