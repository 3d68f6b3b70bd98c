/**
 * The one runtime edge of `exec`: starting a shell command. The default
 * runs `bash -c <command>` (or `sh -c` without bash) through Deno.Command in
 * its own process group, so a kill takes the whole tree down. Tests may pass
 * another runner.
 *
 * Not a login shell (`-l`) on purpose: a login profile runs arbitrary set-up
 * on every call (seen here: `pyenv rehash`, which takes a lock; a command
 * killed while its profile held that lock left every later login shell
 * waiting 60 s). The command gets the gateway's PATH instead.
 *
 * @module
 */

/** A started command. */
export interface SpawnedProcess {
  pid: number;
  stdout: ReadableStream<Uint8Array>;
  stderr: ReadableStream<Uint8Array>;
  stdin: WritableStream<Uint8Array>;
  /** Resolves when the shell exits. */
  status: Promise<{ code: number; signal: string | null }>;
  /** Kills the process and everything it started. */
  kill(): void;
}

/** Starts shell commands. */
export interface CommandRunner {
  /** `env` is the complete environment of the command (nothing else is inherited). */
  spawn(command: string, opts: { cwd: string; env: Record<string, string> }): SpawnedProcess;
}

function hasBash(): boolean {
  return ["/bin/bash", "/usr/bin/bash"].some((p) => {
    try {
      return Deno.statSync(p).isFile;
    } catch {
      return false;
    }
  });
}

/** The default runner: bash (or sh), in a new process group, output piped. */
export function createShellRunner(): CommandRunner {
  const bash = hasBash();
  return {
    spawn(command, opts) {
      const child = new Deno.Command(bash ? "bash" : "sh", {
        args: ["-c", command],
        cwd: opts.cwd,
        env: opts.env,
        clearEnv: true,
        stdin: "piped",
        stdout: "piped",
        stderr: "piped",
        // setsid(): the shell leads its own group, so -pid reaches its children.
        detached: true,
      }).spawn();
      const pid = child.pid;
      return {
        pid,
        stdout: child.stdout,
        stderr: child.stderr,
        stdin: child.stdin,
        status: child.status.then((s) => ({ code: s.code, signal: s.signal ?? null })),
        kill() {
          try {
            Deno.kill(-pid, "SIGKILL");
          } catch {
            try {
              child.kill("SIGKILL");
            } catch { /* already gone */ }
          }
        },
      };
    },
  };
}
