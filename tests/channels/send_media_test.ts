/** loadSendMedia(): the media-root rule on a real temp tree (no gateway). */

import assert from "node:assert/strict";
import { loadSendMedia, resolveMediaPolicy } from "../../src/channels/send_media.ts";

async function tree() {
  const home = await Deno.realPath(await Deno.makeTempDir({ prefix: "openclaw-media-" }));
  const state = `${home}/.openclaw`;
  await Deno.mkdir(`${state}/workspace`, { recursive: true });
  await Deno.mkdir(`${state}/media`, { recursive: true });
  await Deno.mkdir(`${home}/pics`, { recursive: true });
  await Deno.writeTextFile(`${state}/openclaw.json`, '{"gateway":{"auth":{"token":"T"}}}');
  await Deno.writeTextFile(`${state}/media/a b.txt`, "media");
  await Deno.writeTextFile(`${state}/workspace/w.txt`, "workspace");
  await Deno.writeTextFile(`${home}/pics/tg.token`, "123:SECRET");
  await Deno.writeTextFile(`${home}/pics/p.txt`, "pic");
  return { home, state };
}

const load = (ref: string, policy: Parameters<typeof loadSendMedia>[1]["policy"]) =>
  loadSendMedia(ref, { maxBytes: 1000, ...(policy ? { policy } : {}) }).then(
    (m) => new TextDecoder().decode(m.data),
    (e) => `refused: ${(e as Error).message}`,
  );

Deno.test("loadSendMedia() reads only under media roots and never secrets", async () => {
  const { home, state } = await tree();
  try {
    const { policy } = resolveMediaPolicy({
      stateDir: state,
      configPath: `${state}/openclaw.json`,
      workspaces: [`${state}/workspace`],
      configured: ["~/pics", home],
      secretFiles: [`${home}/pics/tg.token`],
      home,
    });
    assert.equal(await load(`${state}/workspace/w.txt`, policy), "workspace");
    assert.equal(await load(`file://${state}/media/a%20b.txt`, policy), "media");
    assert.equal(await load(`${home}/pics/p.txt`, policy), "pic");
    for (const bad of [`${state}/openclaw.json`, `${home}/pics/tg.token`, "/etc/hostname"]) {
      assert.match(await load(bad, policy), /^refused: .*cannot be sent/, bad);
    }
    // No policy (a caller that did not wire one): no local file at all.
    assert.match(await load(`${state}/workspace/w.txt`, undefined), /^refused/);
    // Over the cap: refused with the size (only for an allowed file).
    await Deno.writeFile(`${state}/workspace/big.bin`, new Uint8Array(1001));
    assert.match(
      await load(`${state}/workspace/big.bin`, policy),
      /1001 bytes, over the 1000-byte/,
    );
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("loadSendMedia() with the workspace set to the state dir still refuses the config", async () => {
  const { home, state } = await tree();
  try {
    const { policy } = resolveMediaPolicy({
      stateDir: state,
      configPath: `${state}/openclaw.json`,
      workspaces: [state],
    });
    assert.match(await load(`${state}/openclaw.json`, policy), /^refused/);
    assert.match(await load(`${state}/workspace/w.txt`, policy), /^refused/);
    // $STATE/media stays a root of its own.
    assert.equal(await load(`${state}/media/a b.txt`, policy), "media");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
