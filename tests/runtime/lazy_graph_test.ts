import assert from "node:assert/strict";
import { compileIncludes, importLazy, LAZY_MODULES } from "../../src/runtime/lazy_import.ts";
import { COMPILE_ARGS } from "../../scripts/compile.ts";

const ROOT = new URL("../../", import.meta.url);

interface Graph {
  roots: string[];
  redirects?: Record<string, string>;
  modules: Array<{
    specifier: string;
    dependencies?: Array<{ code?: { specifier?: string }; isDynamic?: boolean }>;
  }>;
}

/**
 * What `deno run main.ts` loads before running: every module reachable
 * through code imports, static or dynamic with a literal specifier (Deno
 * reads those at start too). Type-only imports load nothing and are skipped.
 */
async function runtimeGraph(): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "main.ts"],
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  assert(out.success, new TextDecoder().decode(out.stderr));
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as Graph;
  const redirects = graph.redirects ?? {};
  const resolve = (s: string) => {
    for (let i = 0; i < 10 && redirects[s]; i++) s = redirects[s];
    return s;
  };
  const byId = new Map(graph.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = graph.roots.map(resolve);
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const dep of byId.get(id)?.dependencies ?? []) {
      if (dep.code?.specifier) stack.push(resolve(dep.code.specifier));
    }
  }
  return [...seen];
}

Deno.test("main.ts loads no model SDK, Hono, grammY, Baileys or agent engine at start", async () => {
  const graph = await runtimeGraph();
  const npm = graph.filter((s) => s.startsWith("npm:"));
  for (
    const pkg of [
      "ai@",
      "@ai-sdk/",
      "ollama-ai-provider-v2@",
      "zod@",
      "hono@",
      "grammy@",
      "@grammyjs/",
      "@whiskeysockets/baileys@",
      "qrcode",
      "openai@",
    ]
  ) {
    const hit = npm.find((s) => s.startsWith(`npm:/${pkg}`) || s.startsWith(`npm:${pkg}`));
    assert.equal(hit, undefined, `${pkg} is in main.ts's start-up graph`);
  }
  const local = graph.filter((s) => s.startsWith(ROOT.href)).map((s) => s.slice(ROOT.href.length));
  for (
    const path of [
      "src/agent/mod.ts",
      "src/agent/engine.ts",
      "src/agent/tools/mod.ts",
      "src/methods/agent_group.ts",
      "src/http/_app.ts",
      "src/channels/telegram/adapter.ts",
    ]
  ) {
    assert(!local.includes(path), `${path} is in main.ts's start-up graph`);
  }
  // Sanity: the walk does see the static graph.
  assert(local.includes("src/app.ts"), "the walk missed src/app.ts");
});

Deno.test("every lazily loaded module exists and is embedded by deno compile", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT))) as {
    imports: Record<string, string>;
    tasks: Record<string, string>;
  };
  for (const m of LAZY_MODULES) {
    if (m.startsWith("src/")) await Deno.stat(new URL(m, ROOT));
    else assert(config.imports[m], `${m} is not in deno.json's import map`);
  }
  const includes = compileIncludes().join(" ");
  assert(config.tasks.compile.includes(includes), "deno.json's compile task lacks --include flags");
  assert(COMPILE_ARGS.join(" ").includes(includes), "scripts/compile.ts lacks --include flags");
});

Deno.test("importLazy() refuses a module missing from LAZY_MODULES", () => {
  let message = "";
  try {
    void importLazy("./not_listed.ts");
  } catch (err) {
    message = (err as Error).message;
  }
  assert(message.includes("LAZY_MODULES"), message);
});
