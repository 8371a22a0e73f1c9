import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { describeProblem, type InputProblem, toProblems } from "@comptoir/contracts";
import { parse as parseYaml, YAMLParseError } from "yaml";
import type { z } from "zod";
import { applyEnvOverrides } from "./env-overrides.js";

/** A configuration that cannot be used, with every problem found, each by path. */
export class ConfigError extends Error {
  override name = "ConfigError";
  readonly file: string;
  readonly problems: InputProblem[];

  constructor(file: string, problems: InputProblem[]) {
    const lines = problems.map((problem) => `  ${describeProblem(problem)}`).join("\n");
    super(
      `invalid configuration ${file} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines}`,
    );
    this.file = file;
    this.problems = problems;
  }
}

export interface LoadedConfig<T> {
  config: T;
  /** COMPTOIR_* variables that name no setting of this schema. */
  warnings: string[];
}

/**
 * Reads a YAML or JSON config file, applies COMPTOIR_* environment
 * overrides in memory (the file is never written), and validates the result.
 * Throws ConfigError listing every problem by path.
 */
export function loadConfigFile<S extends z.ZodType>(
  file: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): LoadedConfig<z.infer<S>> {
  return parseConfigText(readConfigText(file), file, schema, env);
}

export function parseConfigText<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  env: NodeJS.ProcessEnv = process.env,
): LoadedConfig<z.infer<S>> {
  const raw = parseDocument(text, file);
  const { value, overridden, unknown } = applyEnvOverrides(raw, schema, env);
  const result = schema.safeParse(value);
  if (!result.success) {
    const problems = toProblems(result.error.issues).map((problem) => {
      const variable = overridden.get(problem.path);
      return variable ? { ...problem, path: `${problem.path} (from ${variable})` } : problem;
    });
    throw new ConfigError(file, problems);
  }
  const warnings = unknown.map((name) => `${name} names no setting of this configuration; ignored`);
  return { config: result.data, warnings };
}

function readConfigText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EACCES"
          ? "permission denied"
          : code === "EISDIR"
            ? "it is a directory"
            : (error as Error).message;
    throw new ConfigError(file, [{ path: "", message: `cannot read the file: ${why}` }]);
  }
}

function parseDocument(text: string, file: string): unknown {
  if (extname(file).toLowerCase() === ".json") {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new ConfigError(file, [
        { path: "", message: `not valid JSON: ${(error as Error).message}` },
      ]);
    }
  }
  try {
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true }) ?? {};
  } catch (error) {
    const message =
      error instanceof YAMLParseError
        ? `not valid YAML at line ${error.linePos?.[0].line ?? "?"}, column ${error.linePos?.[0].col ?? "?"}: ${error.message.split("\n")[0]}`
        : `not valid YAML: ${(error as Error).message}`;
    throw new ConfigError(file, [{ path: "", message }]);
  }
}
