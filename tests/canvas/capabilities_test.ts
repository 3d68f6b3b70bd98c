import assert from "node:assert/strict";
import {
  CAPABILITY_TTL_MS,
  CapabilityTable,
  scopedUrl,
  splitCapabilityPath,
} from "../../src/canvas/capabilities.ts";
import { LIVE_RELOAD_CLIENT } from "../../src/canvas/inject.ts";
import { urlHost } from "../../src/canvas/surface.ts";

Deno.test("CapabilityTable.issue() mints 144-bit base64url tokens, one live per connection", () => {
  const table = new CapabilityTable();
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const { capability } = table.issue(`c${i}`);
    assert.match(capability, /^[A-Za-z0-9_-]{24}$/);
    seen.add(capability);
  }
  assert.equal(seen.size, 200);
  const a = table.issue("conn");
  const b = table.issue("conn");
  assert.equal(table.check(a.capability), undefined, "a new capability replaces the old one");
  assert.equal(table.check(b.capability), "conn");
});

Deno.test("CapabilityTable.check() expires unused capabilities and slides the expiry on use", () => {
  let now = 1_000;
  const table = new CapabilityTable({ ttlMs: 100, now: () => now });
  const grant = table.issue("conn");
  assert.equal(grant.expiresAtMs, 1_100);
  now = 1_090;
  assert.equal(table.check(grant.capability), "conn");
  now = 1_180; // past the first expiry, within the slid one
  assert.equal(table.check(grant.capability), "conn");
  now = 1_281;
  assert.equal(table.check(grant.capability), undefined);
  assert.equal(table.size, 0, "an expired capability is dropped when looked up");
  assert.equal(new CapabilityTable().ttlMs, CAPABILITY_TTL_MS);
  assert.equal(CAPABILITY_TTL_MS, 600_000);
});

Deno.test("CapabilityTable revoke() and the size bound drop capabilities", () => {
  const table = new CapabilityTable({ max: 3 });
  const grants = ["a", "b", "c", "d"].map((c) => table.issue(c));
  assert.equal(table.size, 3);
  assert.equal(table.check(grants[0].capability), undefined, "the oldest went first");
  assert.equal(table.check(grants[3].capability), "d");
  assert.equal(table.revoke("d"), true);
  assert.equal(table.revoke("d"), false);
  assert.equal(table.check(grants[3].capability), undefined);
  assert.equal(table.check(""), undefined);
  assert.equal(table.check("x".repeat(500)), undefined);
  assert.equal(table.check(grants[1].capability + "x"), undefined);
});

Deno.test("splitCapabilityPath() finds the capability and the canonical path", () => {
  assert.equal(splitCapabilityPath("/__openclaw__/canvas/x"), undefined);
  assert.equal(splitCapabilityPath("/__openclaw__/capx/a/b"), undefined);
  assert.deepEqual(splitCapabilityPath("/__openclaw__/cap/abc/__openclaw__/canvas/a%20b"), {
    capability: "abc",
    path: "/__openclaw__/canvas/a%20b",
  });
  assert.deepEqual(splitCapabilityPath("/__openclaw__/cap/abc/"), { capability: "abc", path: "/" });
  for (
    const bad of [
      "/__openclaw__/cap",
      "/__openclaw__/cap/",
      "/__openclaw__/cap/abc",
      "/__openclaw__/cap//x",
      "/__openclaw__/cap/%E0%A4%A/x",
    ]
  ) {
    assert.deepEqual(splitCapabilityPath(bad), { malformed: true }, bad);
  }
  assert.equal(
    scopedUrl("http://127.0.0.1:18793/", "VA_WpsAvRlvOKGTX_JryN2XW"),
    "http://127.0.0.1:18793/__openclaw__/cap/VA_WpsAvRlvOKGTX_JryN2XW",
  );
});

Deno.test("urlHost() takes the client's Host name, else a usable bind address", () => {
  assert.equal(urlHost("192.168.1.5:18789", "0.0.0.0"), "192.168.1.5");
  assert.equal(urlHost("[::1]:18789", "::1"), "[::1]");
  assert.equal(urlHost("gw.example", "127.0.0.1"), "gw.example");
  assert.equal(urlHost(undefined, "0.0.0.0"), "127.0.0.1");
  assert.equal(urlHost(undefined, "::1"), "[::1]");
  assert.equal(urlHost("bad host/x", "10.0.0.2"), "10.0.0.2");
  assert.equal(urlHost("a".repeat(400), "10.0.0.2"), "10.0.0.2");
});

Deno.test("the live-reload client is valid script and keeps the page's capability prefix", () => {
  const opened: string[] = [];
  class FakeWs {
    onopen?: () => void;
    onmessage?: (ev: { data: unknown }) => void;
    onclose?: () => void;
    constructor(url: string) {
      opened.push(url);
    }
  }
  const run = (pathname: string, search = "") => {
    const location = { protocol: "http:", host: "10.0.0.2:18793", pathname, search };
    new Function("location", "WebSocket", "setTimeout", "clearTimeout", LIVE_RELOAD_CLIENT)(
      location,
      FakeWs,
      () => 0,
      () => {},
    );
    return opened.at(-1);
  };
  assert.equal(run("/__openclaw__/canvas/"), "ws://10.0.0.2:18793/__openclaw__/ws");
  assert.equal(
    run("/__openclaw__/cap/Ab-_9/__openclaw__/canvas/app/index.html"),
    "ws://10.0.0.2:18793/__openclaw__/cap/Ab-_9/__openclaw__/ws",
  );
  assert.equal(
    run("/__openclaw__/canvas/", "?oc_cap=Ab-_9"),
    "ws://10.0.0.2:18793/__openclaw__/ws?oc_cap=Ab-_9",
  );
});
