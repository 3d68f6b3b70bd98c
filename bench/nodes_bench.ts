/**
 * Node numbers for the README: `node.invoke` round trip (operator -> gateway
 * -> fake node -> gateway -> operator) against the floor of a plain `health`
 * call on the same gateway, and connect+handshake with a signed device
 * identity against one without.
 *
 * `deno run -A bench/nodes_bench.ts [--n 1000] [--json]`
 *
 * @module
 */

import { startTestGateway } from "../tests/_helpers/gateway.ts";
import { RawWs } from "../tests/_helpers/raw_ws.ts";
import { connectSigned, DeviceKey, FakeNode, nodeParams } from "../tests/_helpers/fake_node.ts";

const args = Deno.args;
const N = Number(args[args.indexOf("--n") + 1]) || 1000;
const asJson = args.includes("--json");

function stats(xs: number[]) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return { n: s.length, p50: r(q(0.5)), p99: r(q(0.99)), max: r(s[s.length - 1]) };
}

async function timed(n: number, fn: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = -Math.min(50, n); i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    if (i >= 0) out.push(performance.now() - t0);
  }
  return out;
}

await using gw = await startTestGateway({
  tweak: (s) => ({ ...s, nodes: { autoApproveLocal: true, allowCommands: ["fake.echo"] } }),
});
await using op = await RawWs.connect(gw.url, { scopes: ["operator.admin"] });
const key = await DeviceKey.create();
const node = await FakeNode.connect(gw.url, key, (req) => ({ ok: true, payload: req.params }));
// Its commands become invokable once approved (layer 2).
const asked = await op.nextEvent("node.pair.requested");
await op.request("node.pair.approve", { requestId: asked.payload.requestId });

const health = await timed(N, () => op.request("health", {}));
const invoke = await timed(N, (i) =>
  op.request("node.invoke", {
    nodeId: key.id,
    command: "fake.echo",
    params: { i },
    idempotencyKey: `b-${i}-${Math.random()}`,
  }).then((r) => {
    if (!r.ok) throw new Error(JSON.stringify(r.error));
  }));
await node.close();

const H = Math.max(100, Math.round(N / 5));
const plain = await timed(H, async () => {
  const ws = await RawWs.connect(gw.url, { scopes: ["operator.read"] });
  await ws.close();
});
const opKey = await DeviceKey.create();
const signed = await timed(H, async () => {
  const { ws, res } = await connectSigned(gw.url, opKey, {
    minProtocol: 4,
    maxProtocol: 4,
    client: { id: "test", version: "0", platform: "linux", mode: "test" },
    role: "operator",
    scopes: ["operator.read"],
    auth: nodeParams().auth,
  });
  if (!res.ok) throw new Error(JSON.stringify(res.error));
  await ws.close();
});

const result = {
  healthRpc: stats(health),
  nodeInvoke: stats(invoke),
  connectPlain: stats(plain),
  connectSignedDevice: stats(signed),
};
if (asJson) console.log(JSON.stringify(result, null, 2));
else {
  for (const [name, s] of Object.entries(result)) {
    console.log(`${name.padEnd(20)} n=${s.n}  p50 ${s.p50} ms  p99 ${s.p99} ms  max ${s.max} ms`);
  }
}
