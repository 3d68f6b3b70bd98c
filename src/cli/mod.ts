/**
 * The `openclaw` command table. Each group lives in its own file; this one
 * wires them and maps failures to exit codes in one place.
 *
 * @module
 */

import { Command, CommanderError } from "commander";
import type { Env } from "../config/paths.ts";
import { VERSION } from "../version.ts";
import { ConfigError } from "../config/load.ts";
import { SettingsError } from "../config/settings.ts";
import { StartError } from "../gateway_process.ts";
import { ListenError } from "../server/serve.ts";
import { FreePortError } from "../runtime/free_port.ts";
import { PathsError } from "../config/paths.ts";
import {
  type CliContext,
  cliContext,
  CliError,
  type GlobalOptions,
  type Io,
  processIo,
} from "./context.ts";
import { addRunOptions, runGateway } from "./gateway_run.ts";
import { denoExec } from "../../service/exec.ts";
import { registerChannelCommands } from "./channels.ts";
import { registerDoctorCommand } from "./doctor.ts";
import { registerGatewayStatus } from "./gateway_status.ts";
import { registerLogsCommand } from "./logs.ts";
import { registerGatewayRpcCommands, registerTopLevelRpcCommands } from "./rpc.ts";
import { registerServiceCommands } from "./service.ts";
import { registerSetupCommand } from "./setup.ts";
import { registerAgentCommand } from "./agent.ts";
import { registerSessionCommands } from "./sessions.ts";
import { registerNodeCommands } from "./nodes.ts";
import { registerDashboardCommand } from "./dashboard.ts";
import { terminalIo } from "./printable.ts";

/** Failures whose message says what is wrong and what to do: shown without a stack. */
const OPERATOR_ERRORS = [
  ConfigError,
  SettingsError,
  StartError,
  ListenError,
  FreePortError,
  PathsError,
];

/** Options of {@link runCli}. */
export interface RunCliOptions {
  env?: Env;
  io?: Io;
}

/** Builds the program; `setExit` receives the exit code of long-running commands. */
function buildProgram(env: Env, io: Io, setExit: (code: number) => void): Command {
  const program = new Command("openclaw")
    .description("OpenClaw gateway: one always-on process for your personal AI assistant")
    .version(VERSION, "-V, --version")
    .option("--dev", "use the dev profile (~/.openclaw-dev, port 19001)")
    .option("--profile <name>", "use profile NAME (~/.openclaw-NAME)")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
    });

  const context = (cmd: Command): CliContext =>
    cliContext(cmd.optsWithGlobals() as GlobalOptions, env, io);
  const run = async (flags: Parameters<typeof runGateway>[1], cmd: Command) =>
    setExit(await runGateway(context(cmd), flags));

  const gateway = addRunOptions(
    program.command("gateway").description("Run the gateway in the foreground, or manage it"),
  ).action(run);
  addRunOptions(gateway.command("run").description("Run the gateway in the foreground")).action(
    run,
  );
  registerGatewayRpcCommands(gateway, context);
  registerServiceCommands(gateway, context, denoExec);
  registerGatewayStatus(gateway, context, denoExec);
  registerTopLevelRpcCommands(program, context);
  registerLogsCommand(program, context);
  registerDoctorCommand(program, context, denoExec);
  registerSetupCommand(program, context);
  registerChannelCommands(program, context);
  registerAgentCommand(program, context);
  registerSessionCommands(program, context);
  registerNodeCommands(program, context);
  registerDashboardCommand(program, context);
  return program;
}

/** Runs the CLI; resolves with the exit code. */
export async function runCli(argv: string[], opts: RunCliOptions = {}): Promise<number> {
  const env = opts.env ?? Deno.env.toObject();
  // Everything the CLI prints goes through here: text from the network stays inert.
  const io = terminalIo(opts.io ?? processIo);
  if (argv.length === 1 && argv[0] === "-v") argv = ["--version"]; // operations.md lists -v too
  let exitCode = 0;
  const program = buildProgram(env, io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: "user" });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      io.err(`Error: ${err.message}`);
      return err.exitCode;
    }
    // The one place start-up failures become exit codes: their messages are for people.
    if (OPERATOR_ERRORS.some((cls) => err instanceof cls)) {
      io.err(`Error: ${(err as Error).message}`);
      return 1;
    }
    io.err(`Error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  }
}
