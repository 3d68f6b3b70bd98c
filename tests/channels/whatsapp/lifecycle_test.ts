import assert from "node:assert/strict";
import { BAILEYS_TEST, startHarness, until } from "./_harness.ts";
import { startTcpProxy } from "../../_fakes/tcp_proxy.ts";

Deno.test({
  name: "WhatsAppConnection reports a replaced session (440) and does not fight for it",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const conn = h.connection();
  await h.link(conn);
  const before = h.server.connections;
  h.server.replaceSession();
  await until(() => conn.status().state === "conflict", "conflict state");
  const s = conn.status();
  assert.equal(s.connected, false);
  assert.equal(s.linked, true, "still linked: another client only took over");
  assert.match(s.lastError ?? "", /Another WhatsApp Web session replaced account "default"/);
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(h.server.connections, before, "no reconnect");
});

Deno.test({
  name: "WhatsAppConnection gives up after maxAttempts reconnects and says so in status",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const conn = h.connection({ reconnect: { initialMs: 250, maxMs: 400, maxAttempts: 3 } });
  await h.link(conn);
  await h.server.stop(); // the network is gone for good
  await until(() => conn.status().state === "gave_up", "gave_up state", 10_000);
  const s = conn.status();
  assert.equal(s.reconnectAttempts, 3);
  assert.equal(s.running, false);
  assert.match(s.lastError ?? "", /gave up after 3 reconnect attempts/);
  assert.ok(h.lines.some((l) => /ERROR.*gave up after 3/.test(l)));
});

Deno.test({
  name:
    "WhatsAppConnection survives an inbound handler that throws (logged, connection stays open)",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const alice = h.server.addPeer({ pn: "15557654321", lid: "88887654321", name: "Alice" });
  const conn = h.connection({}, { throwOnInbound: true });
  await h.link(conn);
  for (const text of ["boom 1", "boom 2"]) {
    const next = h.nextInbound((e) => e.text === text);
    await h.server.deliverText(alice, text);
    await next;
  }
  await until(
    () => h.lines.filter((l) => /inbound handler failed.*handler exploded/.test(l)).length === 2,
    "two logged handler failures",
  );
  assert.equal(conn.status().connected, true);
});

Deno.test({
  name: "WhatsAppConnection sends no read receipt for a message the pipeline did not accept",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const alice = h.server.addPeer({ pn: "15557654321", lid: "88887654321", name: "Alice" });
  const conn = h.connection({}, { accept: false });
  await h.link(conn);
  const receipts: { attrs: Record<string, string> }[] = [];
  h.server.on("receipt", (n) => receipts.push(n));
  const next = h.nextInbound();
  const id = await h.server.deliverText(alice, "from a stranger");
  await next;
  // the delivery receipt (no type) arrives; a read receipt must not follow
  await until(() => receipts.some((r) => r.attrs.id === id), "the delivery receipt");
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(receipts.filter((r) => r.attrs.type === "read"), []);
  // accepting later still reads it
  await conn.markRead(h.inbound[h.inbound.length - 1]);
  await until(() => receipts.some((r) => r.attrs.type === "read" && r.attrs.id === id), "read");
});

Deno.test({
  name: "WhatsAppConnection reconnects after the TCP connection is cut (no close frame)",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const alice = h.server.addPeer({ pn: "15557654321", lid: "88887654321", name: "Alice" });
  const fakePort = Number(new URL(h.server.url).port);
  await using proxy = startTcpProxy(fakePort);
  const conn = h.connection({ wsUrl: `ws://127.0.0.1:${proxy.port}/ws/chat` });
  await h.link(conn);
  const before = proxy.accepted;
  proxy.cut();
  await until(() => conn.status().state !== "open", "the drop to be noticed");
  await conn.waitForOpen(10_000);
  assert.ok(proxy.accepted > before, "a new TCP connection");
  const next = h.nextInbound((e) => e.text === "after the cut");
  await h.server.deliverText(alice, "after the cut");
  await next;
});

Deno.test({
  name: "WhatsAppConnection backs off when the server keeps asking for restarts (515)",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const conn = h.connection();
  await h.link(conn);
  h.server.restartLogins = 4;
  h.server.dropAll();
  await until(
    () => /restart required \(515\) again/.test(conn.status().lastError ?? ""),
    "backoff after repeated restarts",
  );
  await conn.waitForOpen(10_000);
  assert.equal(h.server.restartLogins, 0);
});

Deno.test({
  name: "WhatsAppConnection logs a web-heartbeat line while linked, with inbound counts",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const alice = h.server.addPeer({ pn: "15557654321", lid: "88887654321", name: "Alice" });
  const conn = h.connection({ heartbeatSeconds: 0.2 });
  await h.link(conn);
  const next = h.nextInbound();
  await h.server.deliverText(alice, "counted");
  await next;
  await until(
    () => h.lines.some((l) => /\[web-heartbeat\] WhatsApp heartbeat .*"inbound":1/.test(l)),
    "a heartbeat counting the message",
  );
  await conn.stop();
  const beats = h.lines.filter((l) => l.includes("web-heartbeat")).length;
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(
    h.lines.filter((l) => l.includes("web-heartbeat")).length,
    beats,
    "stops with the socket",
  );
});

Deno.test({
  name: "WhatsAppConnection survives garbage frames from the server and keeps working",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const alice = h.server.addPeer({ pn: "15557654321", lid: "88887654321", name: "Alice" });
  const conn = h.connection();
  await h.link(conn);
  // fixed seed: the same garbage every run
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) & 0xff;
  for (const size of [1, 3, 64, 4096]) {
    h.server.sendGarbage(Uint8Array.from({ length: size }, rnd));
  }
  h.server.sendGarbage(new Uint8Array([0xf8, 0xff, 0xff])); // a list header claiming a huge size
  await until(
    () => h.lines.filter((l) => /Baileys failed in the background/.test(l)).length >= 3,
    "the bad frames to be logged",
  );
  await conn.waitForOpen(10_000);
  const next = h.nextInbound((e) => e.text === "still fine");
  await h.server.deliverText(alice, "still fine");
  await next;
});
