import { type DestinationStream, type LevelWithSilent, type Logger, pino } from "pino";
import { stripUserinfo } from "./url-userinfo.js";

export type { Logger };
export type LogLevel = LevelWithSilent;

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Keys whose values never reach a log line, wherever they sit in a logged object (any case). */
const SECRET_KEYS = new Set(["pin", "cookie", "authorization"]);
/** …and keys ending like these: `password`, `mqttPassword`, `apiToken`, `clientSecret`. */
const SECRET_SUFFIXES = ["password", "passphrase", "token", "secret", "privatekey"];

function isSecretKey(key: string): boolean {
  const lower = key.toLowerCase();
  return SECRET_KEYS.has(lower) || SECRET_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}
const CENSOR = "[redacted]";
/** Deeper than this, a logged object is cut: nobody reads it, and a cycle must end. */
const MAX_DEPTH = 12;

/**
 * A copy of a logged object with every secret key censored at any depth
 * (pino's own `redact` takes fixed paths, so `a.b.password` slipped
 * through) and the userinfo of every URL in a string dropped. Errors are
 * kept for pino's serializer.
 */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return stripUserinfo(value);
  if (value === null || typeof value !== "object" || value instanceof Error) return value;
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, depth + 1));
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? CENSOR : redactDeep(item, depth + 1);
  }
  return out;
}

/**
 * The process's root logger. Each module takes a child with its name:
 * `logger.child({ module: "ledger" })`. Frames at trace, state changes at info.
 */
export function createLogger(
  options: { level?: LogLevel; name?: string } = {},
  destination?: DestinationStream,
): Logger {
  const level = options.level ?? envLevel() ?? "info";
  return pino(
    {
      level,
      name: options.name ?? "comptoir",
      formatters: {
        bindings: (bindings) => redactDeep(bindings) as Record<string, unknown>,
        log: (object) => redactDeep(object) as Record<string, unknown>,
      },
      // pino skips the bindings formatter for children: their bindings are redacted here.
      onChild: redactChildBindings,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}

const { chindingsSym } = pino.symbols;

/** Rewrites a child's serialized bindings (`,"key":value…`) with its secrets censored. */
function redactChildBindings(child: Logger): void {
  const holder = child as unknown as Record<symbol, string>;
  const text = holder[chindingsSym] ?? "";
  try {
    const bindings = JSON.parse(`{${text.slice(1)}}`) as Record<string, unknown>;
    const clean = JSON.stringify(redactDeep(bindings));
    holder[chindingsSym] = clean === "{}" ? "" : `,${clean.slice(1, -1)}`;
  } catch {
    // Bindings pino could not serialize as JSON are left to pino: nothing to censor we can read.
  }
}

/** A logger that drops everything, for library defaults and tests. */
export const silentLogger: Logger = pino({ level: "silent" });

function envLevel(): LogLevel | undefined {
  const value = process.env.COMPTOIR_LOG_LEVEL;
  return (LOG_LEVELS as readonly string[]).includes(value ?? "") ? (value as LogLevel) : undefined;
}
