/**
 * Adversarial: a device store that parses but holds a malformed record (a
 * hand edit gone wrong, a half-migrated file). It must be reported, naming
 * the file and the record, like a file that does not parse: not crash the
 * lists with a TypeError, and not be rewritten away.
 */
import assert from "node:assert/strict";
import { startTestGateway } from "../_helpers/gateway.ts";
import { RawWs } from "../_helpers/raw_ws.ts";
import { connectSigned, DeviceKey, nodeParams } from "../_helpers/fake_node.ts";

const OPERATOR = { scopes: ["operator.admin", "operator.pairing"] };

for (
  const [name, file, body] of [
    ["a paired device without tokens", "paired.json", {
      devices: { abc: { deviceId: "abc", publicKey: "x", roles: ["node"], scopes: [] } },
    }],
    ["a paired device that is null", "paired.json", { devices: { abc: null } }],
    ["a pending request without scopes", "pending.json", {
      requests: { r1: { requestId: "r1", deviceId: "abc", role: "node", ts: Date.now() } },
    }],
  ] as const
) {
  Deno.test(`device store with ${name}: reported with the record named, file kept`, async () => {
    await using gw = await startTestGateway();
    const dir = `${gw.proc.instance.settings.paths.stateDir}/devices`;
    await Deno.mkdir(dir, { recursive: true });
    const text = JSON.stringify({ version: 1, ...body });
    await Deno.writeTextFile(`${dir}/${file}`, text);
    await using op = await RawWs.connect(gw.url, OPERATOR);
    for (const method of ["device.pair.list", "node.list"]) {
      const list = await op.request(method, {});
      assert.equal(list.ok, false, method);
    }
    // The log names the file and the entry (the client gets a short answer).
    const named = new RegExp(`${file}.*is unreadable: entry .*(abc|r1).* is malformed`);
    assert.ok(gw.lines.some((l) => named.test(l)), gw.lines.join("\n"));
    const { ws, res } = await connectSigned(gw.url, await DeviceKey.create(), nodeParams());
    await using _ws = ws;
    assert.equal(res.error?.details?.code, "DEVICE_STORE_UNREADABLE");
    assert.equal(await Deno.readTextFile(`${dir}/${file}`), text);
  });
}
