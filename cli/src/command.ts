import type { ParseArgsConfig } from "node:util";

export type OptionSpec = NonNullable<ParseArgsConfig["options"]>;
export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  verbose: boolean;
  /** Resolves when the user asks the process to stop (SIGINT, SIGTERM); listens only once called. */
  waitForStop: () => Promise<string>;
}

export interface CommandInput {
  values: OptionValues;
  positionals: string[];
  io: CliIO;
}

/** One `comptoir` subcommand. The dispatcher parses flags strictly from `options`. */
export interface Command {
  /** Words after `comptoir`: "audit verify". */
  name: string;
  summary: string;
  /** The synopsis after the name: "DIR [--public-key FILE]". */
  usage: string;
  /** Longer help: what it does, its options, examples. */
  help?: string;
  options?: OptionSpec;
  positionals?: { min: number; max: number };
  run(input: CommandInput): Promise<number>;
}

/** Bad usage: printed with the command's usage, exit 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** A failure the command explains in one line, exit 1. */
export class CliError extends Error {
  override name = "CliError";
}

export function stringOption(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

export function requireOption(values: OptionValues, name: string): string {
  const value = stringOption(values, name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

export function integerOption(
  values: OptionValues,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${text}"`);
  }
  return value;
}
