import assert from "node:assert/strict";
import { DedupeCache } from "../../src/server/dedupe.ts";
import {
  type CallContext,
  FramedReply,
  type HandlerTable,
  Router,
} from "../../src/server/router.ts";
import { GatewayError } from "../../src/errors.ts";
import { ErrorCodes } from "../../protocol/errors.ts";
import { silentLogger } from "../../src/log/logger.ts";

const ctx: CallContext = {
  connId: "c1",
  role: "operator",
  scopes: ["operator.admin"],
  clientId: "cli",
  remoteIp: "127.0.0.1",
};

function router(handlers: HandlerTable): Router {
  return new Router({ handlers, dedupe: new DedupeCache(), log: silentLogger() });
}

Deno.test("Router.dispatch answers a synchronous handler synchronously (no promise per call)", () => {
  const r = router({ health: () => ({ ok: true }) });
  const res = r.dispatch("1", "health", {}, ctx);
  assert.ok(!(res instanceof Promise), "a sync handler's answer came back as a promise");
  assert.deepEqual(res, { type: "res", id: "1", ok: true, payload: { ok: true } });
});

Deno.test("Router.dispatch turns sync throws, bad params and unknown methods into error frames", () => {
  const r = router({
    health: () => {
      throw new GatewayError(ErrorCodes.UNAVAILABLE, "not now");
    },
  });
  const thrown = r.dispatch("2", "health", {}, ctx);
  assert.ok(!(thrown instanceof Promise));
  assert.equal(thrown.ok, false);
  assert.equal(thrown.error?.message, "not now");
  const bad = r.dispatch("3", "health", { nope: 1 }, ctx);
  assert.ok(!(bad instanceof Promise));
  assert.match(bad.error?.message ?? "", /invalid health params/);
  const unknown = r.dispatch("4", "no.such.method", {}, ctx);
  assert.ok(!(unknown instanceof Promise));
  assert.match(unknown.error?.message ?? "", /unknown method: no\.such\.method/);
});

Deno.test("Router.dispatch still awaits async handlers and maps their rejections", async () => {
  const r = router({
    health: () => Promise.resolve({ ok: true, late: 1 }),
    status: () => Promise.reject(new GatewayError(ErrorCodes.UNAVAILABLE, "later not")),
  });
  const ok = r.dispatch("5", "health", {}, ctx);
  assert.ok(ok instanceof Promise);
  assert.deepEqual(await ok, { type: "res", id: "5", ok: true, payload: { ok: true, late: 1 } });
  const failed = await r.dispatch("6", "status", {}, ctx);
  assert.equal(failed.ok, false);
  assert.equal(failed.error?.message, "later not");
});

Deno.test("Router.dispatch sends a FramedReply's final after the first answer", async () => {
  let release!: () => void;
  const final = new Promise<{ ok: boolean; payload: unknown }>((resolve) =>
    release = () => resolve({ ok: true, payload: { done: true } })
  );
  const r = router({ health: () => new FramedReply({ ok: true, payload: { ack: true } }, final) });
  const frames: unknown[] = [];
  const first = r.dispatch("7", "health", {}, ctx, (f) => frames.push(f));
  assert.ok(!(first instanceof Promise));
  frames.push(first);
  release();
  const deadline = Date.now() + 2000;
  while (frames.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(frames, [
    { type: "res", id: "7", ok: true, payload: { ack: true } },
    { type: "res", id: "7", ok: true, payload: { done: true } },
  ]);
});
