import { type DestinationStream, type LevelWithSilent, type Logger, pino } from "pino";

export type { Logger };
export type LogLevel = LevelWithSilent;

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Keys whose values never reach a log line, wherever they sit in a logged object. */
const REDACTED = [
  "password",
  "token",
  "pin",
  "secret",
  "privateKey",
  "authorization",
  "*.password",
  "*.token",
  "*.pin",
  "*.secret",
  "*.privateKey",
  "*.authorization",
];

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
      redact: { paths: REDACTED, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? pino.destination({ dest: 2, sync: false }),
  );
}

/** A logger that drops everything, for library defaults and tests. */
export const silentLogger: Logger = pino({ level: "silent" });

function envLevel(): LogLevel | undefined {
  const value = process.env.COMPTOIR_LOG_LEVEL;
  return (LOG_LEVELS as readonly string[]).includes(value ?? "") ? (value as LogLevel) : undefined;
}
