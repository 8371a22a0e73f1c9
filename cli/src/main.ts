import { parseArgs } from "node:util";
import { ConfigError } from "@comptoir/firmware-config";
import { CliError, type CliIO, type Command, UsageError } from "./command.js";
import { loadOrExplain } from "./command-load.js";
import { commands } from "./commands/index.js";
import { commandHelp, findCommand, findGroup, groupHelp, isGroup, overview } from "./help.js";

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
  if (argv[0] === "help") return help(argv.slice(1), full);
  const entry = findCommand(argv);
  const group = findGroup(argv);
  const named = entry ? entry.name.split(" ").length : 0;
  if (group && group.length > named) return groupAsked(group, argv[group.length], full);
  if (!entry) {
    const asked = argv[0] === "--help" || argv[0] === "-h";
    if (asked) {
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
  const command = await loadOrExplain(entry, full);
  if (!command) return 1;
  const next = argv[named];
  if (next !== undefined && !next.startsWith("-") && (command.positionals?.max ?? 0) === 0) {
    // `comptoir node help`, or a word where a command of the group was meant: `comptoir node tokn`.
    if (next === "help" && argv.length === named + 1) {
      full.stdout.write(await commandHelp(command));
      return 0;
    }
    if (isGroup(command.name.split(" "))) {
      full.stderr.write(
        `comptoir: unknown command "${command.name} ${next}"\n\n${await commandHelp(command)}`,
      );
      return 2;
    }
  }
  const rest = argv.slice(named);
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...GLOBAL_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help) {
      full.stdout.write(await commandHelp(command));
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

/** `comptoir help [GROUP | COMMAND]`. */
async function help(words: string[], io: CliIO): Promise<number> {
  const entry = commands.find((command) => command.name === words.join(" "));
  if (words.length === 0) io.stdout.write(await overview());
  else if (entry) {
    const command = await loadOrExplain(entry, io);
    if (!command) return 1;
    io.stdout.write(await commandHelp(command));
  } else if (isGroup(words)) io.stdout.write(await groupHelp(words));
  else {
    io.stderr.write(`comptoir: unknown command "${words.join(" ")}"\n\n${await overview()}`);
    return 2;
  }
  return 0;
}

/** `comptoir import` followed by `next`: its commands on --help, else a mistake. */
async function groupAsked(group: string[], next: string | undefined, io: CliIO): Promise<number> {
  if (next === "--help" || next === "-h" || next === "help") {
    io.stdout.write(await groupHelp(group));
    return 0;
  }
  const problem =
    next === undefined || next.startsWith("-")
      ? `comptoir ${group.join(" ")}: which command?`
      : `comptoir: unknown command "${[...group, next].join(" ")}"`;
  io.stderr.write(`${problem}\n\n${await groupHelp(group)}`);
  return 2;
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
