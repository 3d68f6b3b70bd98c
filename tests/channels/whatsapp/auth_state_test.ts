import assert from "node:assert/strict";
import {
  authDirFor,
  deleteAuthState,
  openAuthState,
  readLinkedIdentity,
} from "../../../src/channels/whatsapp/auth_state.ts";
import { loadBaileys } from "../../../src/channels/whatsapp/_baileys.ts";
import { BAILEYS_TEST, startHarness } from "./_harness.ts";
import { guardedTest } from "../../_fakes/net_guard.ts";

const ALICE = { pn: "15557654321", lid: "88887654321", name: "Alice" };

async function modeOf(path: string): Promise<number> {
  return (await Deno.stat(path)).mode! & 0o777;
}

guardedTest({
  name: "openAuthState() writes private files and keeps a copy of every saved creds.json as .bak",
  fn: async () => {
    const state = await Deno.makeTempDir({ prefix: "openclaw-wa-auth-" });
    try {
      const dir = authDirFor(state, "work");
      const b = await loadBaileys();
      const opened = await openAuthState(dir, b);
      assert.equal(opened.restoredFromBackup, false);
      opened.state.creds.me = { id: "15550001111:1@s.whatsapp.net" };
      await opened.saveCreds();
      const saved = await Deno.readTextFile(`${dir}/creds.json`);
      assert.match(saved, /15550001111/);
      assert.equal(await Deno.readTextFile(`${dir}/creds.json.bak`), saved);
      await opened.state.keys.set({ "pre-key": { "1": b.Curve.generateKeyPair() } });
      const got = await opened.state.keys.get("pre-key", ["1", "2"]);
      assert.equal(got["1"]?.public.length, 32);
      assert.equal(got["2"], undefined);
      for (const f of ["creds.json", "creds.json.bak", "pre-key-1.json"]) {
        assert.equal(await modeOf(`${dir}/${f}`), 0o600, f);
      }
      assert.equal(await modeOf(dir), 0o700);
      assert.equal(await modeOf(`${state}/credentials/whatsapp`), 0o700);
      assert.equal((await readLinkedIdentity(dir))?.jid, "15550001111:1@s.whatsapp.net");
      await deleteAuthState(dir);
      assert.equal(await readLinkedIdentity(dir), undefined);
      await deleteAuthState(dir); // missing is fine
    } finally {
      await Deno.remove(state, { recursive: true });
    }
  },
});

guardedTest({
  name: "authDirFor() refuses account ids that could escape the folder",
  fn: () => {
    assert.throws(() => authDirFor("/s", "../x"), /Invalid WhatsApp account id "..\/x"/);
    assert.equal(authDirFor("/s", "default"), "/s/credentials/whatsapp/default");
  },
});

Deno.test({
  name: "a corrupt creds.json is restored from creds.json.bak and the account logs in again",
  ...BAILEYS_TEST,
}, async () => {
  await using h = await startHarness();
  const alice = h.server.addPeer(ALICE);
  const first = h.connection();
  await h.link(first);
  await first.stop();
  const dir = `${h.stateDir}/credentials/whatsapp/default`;
  const good = await Deno.readTextFile(`${dir}/creds.json`);
  const bak = JSON.parse(await Deno.readTextFile(`${dir}/creds.json.bak`));
  assert.ok(bak.me?.id, "creds.json.bak is a linked copy");
  await Deno.writeTextFile(`${dir}/creds.json`, good.slice(0, good.length / 2)); // torn write

  const second = h.connection();
  const s = await second.start();
  assert.equal(s.linked, true, "linked via the backup");
  await second.waitForOpen(10_000);
  assert.ok(h.lines.some((l) => /restored from creds\.json\.bak/.test(l)));
  JSON.parse(await Deno.readTextFile(`${dir}/creds.json`)); // valid again
  const next = h.nextInbound();
  await h.server.deliverText(alice, "after restore");
  assert.equal((await next).text, "after restore");
});
