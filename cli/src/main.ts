import { parseArgs } from "node:util";
import { ConfigError } from "@comptoir/firmware-config";
import { CliError, type CliIO, type Command, UsageError } from "./command.js";
import { type CommandEntry, commands } from "./commands/index.js";

const GLOBAL_OPTIONS = {
  help: { type: "boolean", short: "h" },
  verbose: { type: "boolean" },
} as const;

/** Runs `comptoir ARGS…` and returns the exit code: 0 ok, 1 failure, 2 bad usage. */
export async function main(argv: string[], io: Partial<CliIO> = {}): Promise<number> {
  const verbose = argv.includes("--verbose");
  const full: CliIO = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    verbose,
    waitForStop: io.waitForStop ?? waitForStop,
  };
  const entry = findCommand(argv);
  if (!entry) {
    const asked =
      argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help";
    if (asked && argv.length > 0) {
      full.stdout.write(await overview());
      return 0;
    }
    full.stderr.write(
      argv.length === 0
        ? await overview()
        : `comptoir: unknown command "${argv.filter((a) => !a.startsWith("-")).join(" ")}"\n\n${await overview()}`,
    );
    return 2;
  }
  const command = await entry.load();
  const rest = argv.slice(command.name.split(" ").length);
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help) {
      full.stdout.write(commandHelp(command));
      return 0;
    }
    const { min, max } = command.positionals ?? { min: 0, max: 0 };
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw new UsageError(
        parsed.positionals.length < min
          ? "missing argument"
          : `unexpected argument "${parsed.positionals[max]}"`,
      );
    }
    return await command.run({ values: parsed.values, positionals: parsed.positionals, io: full });
  } catch (error) {
    return report(error, command, full);
  }
}

function report(error: unknown, command: Command, io: CliIO): number {
  if (error instanceof UsageError || isParseArgsError(error)) {
    io.stderr.write(
      `comptoir ${command.name}: ${(error as Error).message}\nusage: comptoir ${command.name} ${command.usage}\n`,
    );
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ConfigError) {
    io.stderr.write(`comptoir ${command.name}: ${message}\n`);
  } else {
    io.stderr.write(`comptoir ${command.name}: ${oneLine(message)}\n`);
  }
  if (io.verbose && error instanceof Error && !(error instanceof CliError))
    io.stderr.write(`${error.stack}\n`);
  return 1;
}

function findCommand(argv: string[]): CommandEntry | undefined {
  const words = argv.slice(0, 3);
  let best: CommandEntry | undefined;
  for (const command of commands) {
    const name = command.name.split(" ");
    if (name.every((word, index) => words[index] === word)) {
      if (!best || name.length > best.name.split(" ").length) best = command;
    }
  }
  return best;
}

/** Loads every command for its summary: only `--help` and mistakes pay for that. */
async function overview(): Promise<string> {
  const loaded = await Promise.all(commands.map((entry) => entry.load()));
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = loaded.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `usage: comptoir COMMAND [OPTIONS]\n\ncommands:\n${lines.join("\n")}\n\nEvery command takes --help, and --verbose to show stack traces.\n`;
}

function commandHelp(command: Command): string {
  return `usage: comptoir ${command.name} ${command.usage}\n\n${command.summary}\n${command.help ? `\n${command.help.trimEnd()}\n` : ""}`;
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

function oneLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

let stopping: Promise<string> | undefined;

/** Long-running commands wait on this; short ones never call it and keep Ctrl-C's default. */
function waitForStop(): Promise<string> {
  stopping ??= new Promise((resolve) => {
    const stop = (signal: string) => () => resolve(signal);
    process.once("SIGINT", stop("SIGINT"));
    process.once("SIGTERM", stop("SIGTERM"));
  });
  return stopping;
}
