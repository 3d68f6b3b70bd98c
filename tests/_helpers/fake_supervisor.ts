/**
 * Fake `systemctl`, `launchctl`, `loginctl` and `getent` for CLI subprocess tests:
 * small sh scripts in a temp bin folder that record every call and answer
 * from rules the test sets (exit code, stdout, stderr). Put
 * {@link FakeSupervisor.binDir} first on PATH.
 *
 * @module
 */

import { cliEnv, tempHome } from "./gateway.ts";

/** How a fake answers a matching call. */
export interface FakeReply {
  code?: number;
  stdout?: string;
  stderr?: string;
}

/** The fake binaries and what they were asked. */
export interface FakeSupervisor {
  /** Folder holding the fake binaries. */
  binDir: string;
  /** `PATH` with {@link binDir} first. */
  path: string;
  /**
   * Answers calls whose line (`systemctl --user show x -p ...`, words joined
   * by single spaces) matches the sh glob `pattern`; rules added earlier win.
   * Unmatched calls exit 0 with no output.
   */
  on(pattern: string, reply: FakeReply): Promise<void>;
  /** Every call so far, as space-joined lines, oldest first. */
  calls(): Promise<string[]>;
  /** Forgets the recorded calls and the rules. */
  reset(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const SCRIPT = (root: string) =>
  `#!/bin/sh
root='${root}'
line=$(basename "$0")
for a in "$@"; do line="$line $a"; done
printf '%s\\n' "$line" >> "$root/calls.log"
for rule in $(ls "$root/rules" 2>/dev/null | sort); do
  dir="$root/rules/$rule"
  pat=$(cat "$dir/match")
  case "$line" in
    $pat)
      cat "$dir/stdout"
      cat "$dir/stderr" >&2
      exit "$(cat "$dir/code")"
      ;;
  esac
done
exit 0
`;

/** Creates the fakes in a fresh temp folder. */
export async function createFakeSupervisor(): Promise<FakeSupervisor> {
  const root = await Deno.makeTempDir({ prefix: "openclaw-fake-supervisor-" });
  const binDir = `${root}/bin`;
  await Deno.mkdir(binDir);
  await Deno.mkdir(`${root}/rules`);
  for (const name of ["systemctl", "launchctl", "loginctl", "getent"]) {
    await Deno.writeTextFile(`${binDir}/${name}`, SCRIPT(root), { mode: 0o755 });
    await Deno.chmod(`${binDir}/${name}`, 0o755);
  }
  let ruleCount = 0;
  return {
    binDir,
    path: `${binDir}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
    async on(pattern, reply) {
      const dir = `${root}/rules/${String(ruleCount++).padStart(4, "0")}`;
      await Deno.mkdir(dir);
      await Deno.writeTextFile(`${dir}/match`, pattern);
      await Deno.writeTextFile(`${dir}/code`, String(reply.code ?? 0));
      await Deno.writeTextFile(`${dir}/stdout`, reply.stdout ?? "");
      await Deno.writeTextFile(`${dir}/stderr`, reply.stderr ?? "");
    },
    async calls() {
      try {
        return (await Deno.readTextFile(`${root}/calls.log`)).split("\n").filter(Boolean);
      } catch {
        return [];
      }
    },
    async reset() {
      await Deno.remove(`${root}/calls.log`).catch(() => {});
      await Deno.remove(`${root}/rules`, { recursive: true });
      await Deno.mkdir(`${root}/rules`);
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}

/** A temp home with the fakes first on PATH, for service command tests. */
export interface ServiceBench {
  home: string;
  fake: FakeSupervisor;
  /**
   * The CLI's environment: the fakes' PATH, `USER=ann`, systemd forced and
   * `OPENCLAW_SYSTEMD_SYSTEM_DIR` at the empty `<home>/etc-systemd-system`.
   */
  env: Record<string, string>;
  /** Where a systemd system unit goes. */
  systemDir: string;
  /** The default systemd user unit's path. */
  unitPath: string;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Creates a {@link ServiceBench}; `extra` is added to (or overrides) its environment. */
export async function createServiceBench(
  extra: Record<string, string> = {},
): Promise<ServiceBench> {
  const { home, cleanup } = await tempHome();
  const fake = await createFakeSupervisor();
  const systemDir = `${home}/etc-systemd-system`;
  await Deno.mkdir(systemDir);
  return {
    home,
    fake,
    systemDir,
    unitPath: `${home}/.config/systemd/user/openclaw-gateway.service`,
    env: cliEnv(home, {
      PATH: fake.path,
      USER: "ann",
      OPENCLAW_SERVICE_PLATFORM: "systemd",
      OPENCLAW_SYSTEMD_SYSTEM_DIR: systemDir,
      ...extra,
    }),
    async [Symbol.asyncDispose]() {
      await fake[Symbol.asyncDispose]();
      await cleanup();
    },
  };
}
