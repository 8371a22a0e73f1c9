import { formatPath } from "@comptoir/contracts";
import type { z } from "zod";

export const ENV_PREFIX = "COMPTOIR_";

/** Variables that steer the program rather than name a setting. */
const NOT_SETTINGS = new Set(["COMPTOIR_CONFIG"]);

export interface EnvOverrideResult {
  value: unknown;
  /** Path (as in problems) → the variable that set it. */
  overridden: Map<string, string>;
  unknown: string[];
}

/**
 * Applies COMPTOIR_<PATH> variables to a parsed config, on a copy.
 * The path is the setting's keys in upper snake case joined by '_':
 * COMPTOIR_MQTT_URL → mqtt.url, COMPTOIR_NODE_DATA_DIR → node.dataDir,
 * COMPTOIR_READERS_0_URL → readers[0].url. The schema tells how to read the
 * value: text for strings, numbers and booleans parsed, JSON for the rest.
 */
export function applyEnvOverrides(
  raw: unknown,
  schema: z.ZodType,
  env: NodeJS.ProcessEnv,
): EnvOverrideResult {
  const value: unknown = structuredClone(raw);
  const overridden = new Map<string, string>();
  const unknown: string[] = [];
  const names = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && !NOT_SETTINGS.has(name))
    .sort();
  let root = value;
  for (const name of names) {
    const tokens = name.slice(ENV_PREFIX.length).split("_").filter(Boolean);
    const target = resolvePath(schema, tokens);
    if (!target) {
      unknown.push(name);
      continue;
    }
    root = setAt(root, target.path, readValue(env[name] ?? "", target.leaf));
    overridden.set(formatPath(target.path), name);
  }
  return { value: root, overridden, unknown };
}

interface Target {
  path: (string | number)[];
  leaf: z.ZodType;
}

function resolvePath(schema: z.ZodType, tokens: string[]): Target | undefined {
  const inner = unwrap(schema);
  if (tokens.length === 0) return { path: [], leaf: inner };
  const def = inner.def as { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType };
  if (def.type === "object" && def.shape) {
    // Longest key first, so that DATA_DIR prefers dataDir over a key "data".
    for (let take = tokens.length; take >= 1; take--) {
      const wanted = tokens.slice(0, take).join("_");
      const key = Object.keys(def.shape).find((candidate) => upperSnake(candidate) === wanted);
      if (key === undefined) continue;
      const rest = resolvePath(def.shape[key] as z.ZodType, tokens.slice(take));
      if (rest) return { path: [key, ...rest.path], leaf: rest.leaf };
    }
    return undefined;
  }
  if (def.type === "array" && def.element && /^\d+$/.test(tokens[0] ?? "")) {
    const rest = resolvePath(def.element, tokens.slice(1));
    if (rest) return { path: [Number(tokens[0]), ...rest.path], leaf: rest.leaf };
  }
  return undefined;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = current.def as { type: string; innerType?: z.ZodType; in?: z.ZodType };
    if (
      def.innerType &&
      ["optional", "default", "nullable", "readonly", "catch", "prefault"].includes(def.type)
    ) {
      current = def.innerType;
    } else if (def.type === "pipe" && def.in) {
      current = def.in;
    } else {
      return current;
    }
  }
}

function readValue(text: string, leaf: z.ZodType): unknown {
  const type = (leaf.def as { type: string }).type;
  if (type === "string" || type === "enum" || type === "literal" || type === "template_literal")
    return text;
  if (type === "number" || type === "int" || type === "bigint") {
    const number = Number(text);
    return text.trim() === "" || Number.isNaN(number) ? text : number;
  }
  if (type === "boolean") {
    if (/^(true|1|yes|on)$/i.test(text)) return true;
    if (/^(false|0|no|off)$/i.test(text)) return false;
    return text;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const container: Record<string | number, unknown> =
    root !== null && typeof root === "object"
      ? (root as Record<string | number, unknown>)
      : typeof head === "number"
        ? ([] as unknown as Record<number, unknown>)
        : {};
  container[head] = setAt(container[head], rest, value);
  return container;
}

function upperSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}
