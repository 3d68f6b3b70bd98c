import assert from "node:assert/strict";
import { METHODS } from "../../protocol/methods.ts";
import { EVENTS } from "../../protocol/events.ts";
import { check } from "../../protocol/validate.ts";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";

type Node = Record<string, unknown>;

/** Paths of object schemas under `schema` that accept unknown keys. */
function openObjects(schema: unknown, path: string): string[] {
  if (!schema || typeof schema !== "object") return [];
  const node = schema as Node;
  const found: string[] = [];
  if (node.type === "object" && node.properties && node.additionalProperties !== false) {
    found.push(path || "(root)");
  }
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    found.push(...openObjects(child, path ? `${path}.${key}` : key));
  }
  for (const key of ["anyOf", "allOf", "oneOf"]) {
    (node[key] as unknown[] | undefined)?.forEach((c, i) =>
      found.push(...openObjects(c, `${path}|${i}`))
    );
  }
  const items = node.items;
  if (Array.isArray(items)) items.forEach((c, i) => found.push(...openObjects(c, `${path}[${i}]`)));
  else found.push(...openObjects(items, `${path}[]`));
  found.push(...openObjects(node.additionalProperties, `${path}{}`));
  for (const child of Object.values(node.patternProperties ?? {})) {
    found.push(...openObjects(child, `${path}{}`));
  }
  return found;
}

Deno.test("openObjects() finds open objects at any depth (the walker itself works)", () => {
  const closed = { type: "object", properties: {}, additionalProperties: false };
  assert.deepEqual(openObjects(closed, ""), []);
  assert.deepEqual(openObjects({ type: "object", properties: { a: { type: "string" } } }, ""), [
    "(root)",
  ]);
  const nested = {
    ...closed,
    properties: { list: { type: "array", items: { type: "object", properties: {} } } },
  };
  assert.deepEqual(openObjects(nested, ""), ["list[]"]);
});

Deno.test("METHODS params are closed objects at every level", () => {
  const open: string[] = [];
  for (const [name, def] of Object.entries(METHODS)) {
    const params = def.params as Node;
    assert.equal(params.type, "object", `${name} params are not an object`);
    open.push(...openObjects(params, "").map((p) => `${name}: ${p}`));
  }
  assert.deepEqual(open, [], `params that accept unknown keys:\n${open.join("\n")}`);
});

Deno.test("METHODS results and EVENTS payloads are closed objects at every level", () => {
  const open: string[] = [];
  for (const [name, def] of Object.entries(METHODS)) {
    open.push(...openObjects(def.result, "").map((p) => `${name} result: ${p}`));
  }
  for (const [name, def] of Object.entries(EVENTS)) {
    open.push(...openObjects(def.payload, "").map((p) => `${name} event: ${p}`));
  }
  assert.deepEqual(open, [], `shapes that accept unknown keys:\n${open.join("\n")}`);
});

Deno.test("served methods answer with results that match their result schema", async () => {
  await using gw = await startTestGateway();
  await using admin = await RawWs.connect(gw.url);
  await using reader = await RawWs.connect(gw.url, { scopes: ["operator.read"] });
  const calls: [RawWs, keyof typeof METHODS, unknown][] = [
    [admin, "health", {}],
    [admin, "health", { probe: true }],
    [admin, "status", {}],
    [reader, "status", {}],
    [admin, "system-event", { text: "hello", instanceId: "i1", tags: ["t"], lastInputSeconds: 3 }],
    [admin, "system-presence", {}],
  ];
  for (const [ws, method, params] of calls) {
    const res = await ws.request(method, params);
    assert.equal(res.ok, true, `${method}: ${JSON.stringify(res.error)}`);
    const checked = check(METHODS[method].result, res.payload);
    assert.ok(checked.ok, `${method} result: ${checked.ok ? "" : checked.message}`);
  }
});

Deno.test("broadcast events match their payload schema", async () => {
  await using gw = await startTestGateway({
    tweak: (s) => ({ ...s, policy: { ...s.policy, tickIntervalMs: 30 } }),
  });
  await using ws = await RawWs.connect(gw.url);
  await ws.request("system-event", { text: "note", host: "box" });
  gw.proc.instance.refreshHealth();
  for (const name of ["tick", "presence", "health"] as const) {
    const frame = await ws.nextEvent(name);
    const checked = check(EVENTS[name].payload, frame.payload);
    assert.ok(checked.ok, `${name}: ${checked.ok ? "" : checked.message}`);
  }
});
