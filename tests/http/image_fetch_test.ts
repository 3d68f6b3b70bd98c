import assert from "node:assert/strict";
import { fetchImage } from "../../src/http/_image_fetch.ts";
import { HttpError } from "../../src/http/_common.ts";
import { authJson, base, fetchT, startHttpGateway } from "./_http_gateway.ts";

const PNG_B64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const PNG = Uint8Array.from(atob(PNG_B64), (c) => c.charCodeAt(0));

/** A real image server on loopback: /a.png, /big.png, /text, /r/<n> redirect chains. */
function imageServer() {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/a.png") return new Response(PNG, { headers: { "content-type": "image/png" } });
    if (path === "/big.png") {
      return new Response(new Uint8Array(64 * 1024), { headers: { "content-type": "image/png" } });
    }
    if (path === "/text") return new Response("hi", { headers: { "content-type": "text/plain" } });
    const hop = /^\/r\/(\d+)$/.exec(path);
    if (hop) {
      const n = Number(hop[1]);
      return new Response(null, {
        status: 302,
        headers: { location: n > 0 ? `/r/${n - 1}` : "/a.png" },
      });
    }
    return new Response("nope", { status: 404 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

// The guard is tested on its own below; these let a loopback server stand in for a public one.
const openGuard = { isPrivate: () => false };

async function status(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    assert.ok(err instanceof HttpError, String(err));
    return `${err.status} ${err.message}`;
  }
}

Deno.test("fetchImage() fetches an image and follows up to 3 redirects", async () => {
  await using srv = imageServer();
  const got = await fetchImage(`${srv.url}/a.png`, 1024, openGuard);
  assert.deepEqual(got, { mime: "image/png", data: PNG_B64 });
  assert.equal((await fetchImage(`${srv.url}/r/2`, 1024, openGuard)).data, PNG_B64);
  assert.match(
    await status(fetchImage(`${srv.url}/r/3`, 1024, openGuard)),
    /more than 3 redirects/,
  );
});

Deno.test("fetchImage() refuses private destinations, other schemes, non-images and big bodies", async () => {
  await using srv = imageServer();
  assert.match(
    await status(fetchImage(`${srv.url}/a.png`, 1024)),
    /^400 .*private address 127\.0\.0\.1/,
  );
  assert.match(await status(fetchImage("http://localhost/a.png", 1024)), /local name/);
  assert.match(await status(fetchImage("http://[::1]/a.png", 1024)), /private address/);
  assert.match(
    await status(
      fetchImage("http://metadata.test/a.png", 1024, {
        resolveHost: () => Promise.resolve(["169.254.169.254"]),
      }),
    ),
    /metadata\.test .*private address 169\.254\.169\.254/,
  );
  assert.match(await status(fetchImage("file:///etc/passwd", 1024)), /only http\(s\)/);
  assert.match(
    await status(fetchImage(`${srv.url}/text`, 1024, openGuard)),
    /not an accepted image/,
  );
  assert.match(await status(fetchImage(`${srv.url}/big.png`, 1024, openGuard)), /larger than 1024/);
  assert.match(await status(fetchImage(`${srv.url}/missing`, 1024, openGuard)), /answered 404/);
  // A redirect to a private address is checked at every hop.
  const hopToPrivate = (host: string) =>
    Promise.resolve(host === "public.test" ? ["93.184.216.34"] : ["10.0.0.5"]);
  assert.match(
    await status(fetchImage("http://public.test/x", 1024, {
      resolveHost: hopToPrivate,
      fetch: () =>
        Promise.resolve(
          new Response(null, { status: 302, headers: { location: "http://inner.test/a.png" } }),
        ),
    })),
    /inner\.test .*10\.0\.0\.5/,
  );
});

Deno.test("responses refuses an input_image URL on a private address with a 400", async () => {
  await using fx = await startHttpGateway();
  await using srv = imageServer();
  const res = await fetchT(`${base(fx)}/v1/responses`, {
    method: "POST",
    headers: authJson(),
    body: JSON.stringify({
      input: [{
        role: "user",
        content: [
          { type: "input_text", text: "what is this" },
          { type: "input_image", source: { type: "url", url: `${srv.url}/a.png` } },
        ],
      }],
    }),
  });
  assert.equal(res.status, 400);
  assert.match(
    (await res.json()).error.message,
    /^input_image\.source\.url: not fetched .*private/,
  );
  assert.equal(fx.provider.chatRequests().length, 0);
});
