import assert from "node:assert/strict";
import { guardedTest } from "../../_fakes/net_guard.ts";

const DIR = new URL("../../../src/channels/whatsapp/", import.meta.url);
const HEAVY = ["@whiskeysockets/baileys", "qrcode", "qrcode-terminal"];

guardedTest({
  name: "src/channels/whatsapp imports Baileys and qrcode only as types or through import()",
  fn: async () => {
    for await (const f of Deno.readDir(DIR)) {
      if (!f.name.endsWith(".ts")) continue;
      const src = await Deno.readTextFile(new URL(f.name, DIR));
      for (const m of src.matchAll(/^(import|export)\s[^;]*?from\s+"([^"]+)"/gms)) {
        if (!HEAVY.includes(m[2])) continue;
        assert.match(m[0], /^(import|export) type\b/, `${f.name}: static import of ${m[2]}`);
      }
    }
  },
});

guardedTest({
  name: "importing the WhatsApp channel module does not load Baileys (RSS stays flat)",
  fn: async () => {
    const script = `
    const mb = () => Deno.memoryUsage().rss / 1048576;
    const a = mb();
    await import(${JSON.stringify(new URL("mod.ts", DIR).href)});
    const b = mb();
    await import("@whiskeysockets/baileys");
    const c = mb();
    console.log(JSON.stringify({ channel: b - a, baileys: c - b }));
  `;
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--quiet", script],
      cwd: new URL("../../../", import.meta.url).pathname,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(30_000),
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const { channel, baileys } = JSON.parse(new TextDecoder().decode(out.stdout).trim());
    assert.ok(baileys > 25, `loading Baileys itself grows RSS (${baileys.toFixed(1)} MB)`);
    assert.ok(channel < baileys / 3, `channel module alone added ${channel.toFixed(1)} MB`);
  },
});

guardedTest({
  name:
    "the gateway reaches the WhatsApp code only through import(), except the Baileys-free config",
  fn: async () => {
    const src = new URL("../../../src/", import.meta.url);
    const files: URL[] = [];
    const walk = async (dir: URL) => {
      for await (const e of Deno.readDir(dir)) {
        if (e.isDirectory && e.name !== "whatsapp") await walk(new URL(`${e.name}/`, dir));
        else if (e.name.endsWith(".ts")) files.push(new URL(e.name, dir));
      }
    };
    await walk(src);
    for (const f of files) {
      const text = await Deno.readTextFile(f);
      for (const m of text.matchAll(/^(import|export)\s[^;]*?from\s+"([^"]*whatsapp\/[^"]+)"/gms)) {
        if (/^(import|export) type\b/.test(m[0])) continue;
        assert.match(m[2], /whatsapp\/config\.ts$/, `${f.pathname}: static import of ${m[2]}`);
      }
    }
    // The config module itself pulls in nothing heavy (only typebox and types).
    const config = await Deno.readTextFile(new URL("config.ts", DIR));
    for (const m of config.matchAll(/^import\s[^;]*?from\s+"([^"]+)"/gms)) {
      assert.ok(
        m[0].startsWith("import type") || /typebox|literals\.ts$/.test(m[1]),
        `config.ts imports ${m[1]}`,
      );
    }
  },
});
