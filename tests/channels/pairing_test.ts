import assert from "node:assert/strict";
import {
  generatePairingCode,
  PAIRING_ALPHABET,
  PAIRING_TTL_MS,
  PairingError,
  PairingStore,
} from "../../src/channels/pairing.ts";

Deno.test("generatePairingCode() is 8 chars from the alphabet without 0 O 1 I", () => {
  for (let i = 0; i < 200; i++) {
    const code = generatePairingCode();
    assert.match(code, /^[A-Z2-9]{8}$/);
    for (const ch of code) assert.ok(PAIRING_ALPHABET.includes(ch));
    assert.doesNotMatch(code, /[01OI]/);
  }
});

Deno.test("PairingStore.request() creates once per sender, at most 3 pending, 1 h TTL", async () => {
  const dir = await Deno.makeTempDir();
  let now = 1_000_000;
  const store = new PairingStore({ dir, now: () => now });
  try {
    const a = await store.request("telegram", "default", "1");
    assert.equal(a.created, true);
    assert.equal((await store.request("telegram", "default", "1")).created, false);
    assert.equal((await store.request("telegram", "default", "2")).created, true);
    assert.equal((await store.request("telegram", "default", "3")).created, true);
    const fourth = await store.request("telegram", "default", "4");
    assert.deepEqual(fourth, { created: false });
    assert.equal((await store.list("telegram")).length, 3);
    // Other channels have their own limit.
    assert.equal((await store.request("whatsapp", "default", "4")).created, true);
    now += PAIRING_TTL_MS;
    assert.equal((await store.list("telegram")).length, 0, "expired after an hour");
    assert.equal((await store.request("telegram", "default", "4")).created, true);
    const stat = await Deno.stat(`${dir}/telegram-pairing.json`);
    assert.equal(stat.mode! & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("PairingStore.approve() moves the sender to the allow list; unknown codes throw", async () => {
  const dir = await Deno.makeTempDir();
  const store = new PairingStore({ dir });
  try {
    const { code } = await store.request("telegram", "work", "42", { username: "bob" });
    await assert.rejects(() => store.approve("telegram", "AAAAAAAA"), PairingError);
    const req = await store.approve("telegram", code!.toLowerCase());
    assert.equal(req.senderId, "42");
    assert.deepEqual(await store.allowed("telegram", "work"), ["42"]);
    assert.deepEqual(await store.allowed("telegram", "default"), []);
    assert.equal((await store.list("telegram")).length, 0);
    const stat = await Deno.stat(`${dir}/telegram-work-allowFrom.json`);
    assert.equal(stat.mode! & 0o777, 0o600);
    // Concurrent requests are serialised: no lost update.
    await Promise.all(["a", "b", "c"].map((s) => store.request("telegram", "default", s)));
    assert.equal((await store.list("telegram")).length, 3);
    assert.equal(await store.dismiss("telegram", (await store.list("telegram"))[0].code), true);
    assert.equal((await store.list("telegram")).length, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
