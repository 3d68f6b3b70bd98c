/**
 * The one place the service layer starts other programs (`systemctl`,
 * `launchctl`, `loginctl`, ...). Everything else takes an {@link Exec}, so
 * tests can hand in a fake and assert the exact commands.
 *
 * @module
 */

/** What a finished command left behind. */
export interface ExecResult {
  /** Exit code; 127 when the program is missing, 126 when it cannot be run. */
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of {@link Exec.run}. */
export interface ExecOptions {
  /** Variables added to (or overriding) the inherited environment. */
  env?: Record<string, string>;
}

/** Runs a program to completion and reports its output; never a shell. */
export interface Exec {
  /** Runs `cmd` with `args`; resolves even when the program is missing. */
  run(cmd: string, args: string[], opts?: ExecOptions): Promise<ExecResult>;
}

/**
 * {@link Exec} backed by `Deno.Command`. A missing binary resolves with code
 * 127 and `<cmd>: command not found` (as a shell would say), so callers
 * branch on the code instead of catching.
 */
export const denoExec: Exec = {
  async run(cmd: string, args: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    try {
      const output = await new Deno.Command(cmd, {
        args,
        env: opts.env,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const decoder = new TextDecoder();
      return {
        code: output.code,
        stdout: decoder.decode(output.stdout),
        stderr: decoder.decode(output.stderr),
      };
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        return { code: 127, stdout: "", stderr: `${cmd}: command not found` };
      }
      if (error instanceof Deno.errors.PermissionDenied) {
        return { code: 126, stdout: "", stderr: `${cmd}: permission denied` };
      }
      throw error;
    }
  },
};
