/**
 * Loads a module on first use without putting it in the module graph Deno
 * builds at start.
 *
 * Deno reads every module reachable from `main.ts` before running it,
 * including each `await import("literal")`: a literal dynamic import of the
 * model SDK alone costs ~12 MB of idle RSS in a gateway that never calls a
 * model. A specifier held in a variable is resolved only when the import
 * runs. The price: `deno compile` embeds only analyzable modules, so every
 * specifier loaded this way is listed in {@link LAZY_MODULES} and passed to
 * `deno compile --include` (a test checks deno.json and scripts/compile.ts
 * against this list, and that none of these is in main.ts's graph).
 *
 * @module
 */

/**
 * Everything loaded through {@link importLazy}: npm packages by their import
 * map name, local modules by their path from the repository root.
 */
export const LAZY_MODULES: readonly string[] = Object.freeze([
  "ai",
  "@ai-sdk/openai-compatible",
  "@ai-sdk/anthropic",
  "ollama-ai-provider-v2",
  "grammy",
  "@whiskeysockets/baileys",
  "qrcode",
  "qrcode-terminal",
  "src/agent/mod.ts",
  "src/methods/agent_group.ts",
  "src/http/_app.ts",
  "src/channels/telegram/adapter.ts",
  "src/channels/whatsapp/adapter.ts",
  "src/channels/whatsapp/login.ts",
  "src/channels/whatsapp/auth_state.ts",
  "src/channels/whatsapp/mod.ts",
]);

const ROOT = new URL("../../", import.meta.url);

/** `deno compile` flags that embed every lazily loaded module. */
export function compileIncludes(): string[] {
  return LAZY_MODULES.flatMap((m) => ["--include", m.startsWith("src/") ? m : `npm:${m}`]);
}

/**
 * Imports `specifier` (an entry of {@link LAZY_MODULES}) at run time only.
 * Type it with a type-only query, which adds nothing to the runtime graph:
 * `importLazy<typeof import("ai")>("ai")`.
 */
export function importLazy<T>(specifier: string): Promise<T> {
  if (!LAZY_MODULES.includes(specifier)) {
    throw new Error(
      `Module "${specifier}" is not in LAZY_MODULES: add it there so deno compile embeds it`,
    );
  }
  const target = specifier.startsWith("src/") ? new URL(specifier, ROOT).href : specifier;
  return import(target) as Promise<T>;
}
