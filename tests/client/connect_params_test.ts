import assert from "node:assert/strict";
import { closeMessage, connectParams } from "../../src/client/connect_params.ts";

Deno.test("connectParams() sends only the credentials given", () => {
  assert.equal(connectParams({}).auth, undefined);
  assert.deepEqual(connectParams({ token: "t" }).auth, { token: "t" });
  const p = connectParams({ role: "node", scopes: [], clientId: "node-host", mode: "node" });
  assert.equal(p.role, "node");
  assert.deepEqual(p.scopes, []);
  assert.equal(p.client.id, "node-host");
});

Deno.test("closeMessage() tells a busy gateway, a non-gateway and a refused port apart", () => {
  const url = "ws://127.0.0.1:1";
  const base = { opened: false, code: 1006, reason: "" };
  assert.match(closeMessage(url, { ...base, upgradeStatus: 503 }), /is busy \(HTTP 503/);
  assert.match(closeMessage(url, { ...base, upgradeStatus: 404 }), /answered HTTP 404/);
  assert.match(closeMessage(url, base), /not reachable .*connection refused/);
  assert.match(
    closeMessage(url, { opened: true, code: 1008, reason: "bad" }),
    /closed the connection \(1008 bad\)/,
  );
});
