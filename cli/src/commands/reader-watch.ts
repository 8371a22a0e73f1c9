import { createLogger, type LogLevel } from "@comptoir/contracts";
import type { ReaderSettings } from "@comptoir/device";
import {
  PROTOCOL_NAMES,
  parseReaderUrl,
  ReaderOpenError,
  ReaderSession,
  type ReaderStateChange,
  ReaderUrlError,
} from "@comptoir/device";
import {
  CliError,
  type Command,
  type OptionValues,
  requireOption,
  stringOption,
  UsageError,
} from "../command.js";
import { protocolOption } from "./reader-decode.js";

export const readerWatch: Command = {
  name: "reader watch",
  summary: "open a reader, run its start-up dialogue and print each read as a JSON line",
  usage: "--protocol P --port URL [--antennas 1,2] [--region R] [--power DBM]",
  help: `For installers checking a reader in the field. URL is serial:///dev/serial/by-id/…?baud=115200
(the protocol's default baud without ?baud) or tcp://host:port (ser2net, networked readers).
Reads go to stdout, one JSON line each; state changes to stderr. If the reader goes away it is
reopened with backoff until it comes back. Stop with Ctrl-C.
Exits 1 at once when the first attempt fails (no such port, permission denied, port in use,
no answer or no valid frame).

  --protocol P      ${PROTOCOL_NAMES.join(" | ")}
  --port URL        where the reader is
  --antennas LIST   antenna ports to read, e.g. 1,2 (default 1)
  --region R        reader region, e.g. EU3, NA2 (ThingMagic)
  --power DBM       read power in dBm

example: comptoir reader watch --protocol thingmagic --port 'serial:///dev/ttyUSB0?baud=115200'`,
  options: {
    protocol: { type: "string", short: "p" },
    port: { type: "string" },
    antennas: { type: "string" },
    region: { type: "string" },
    power: { type: "string" },
  },
  async run({ values, io }) {
    const protocol = protocolOption(requireOption(values, "protocol"));
    const url = requireOption(values, "port");
    try {
      parseReaderUrl(url);
    } catch (error) {
      if (error instanceof ReaderUrlError) throw new UsageError(`--port: ${error.message}`);
      throw error;
    }
    const settings = readerSettings(values);
    try {
      protocol.startup(settings);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const level: LogLevel | undefined = io.verbose
      ? "debug"
      : io.env.COMPTOIR_LOG_LEVEL
        ? undefined
        : "silent";
    const logger = createLogger(level ? { level } : {});
    const session = new ReaderSession({ id: "watch", protocol, url, settings, logger });
    const reads = session.reads();
    let everReading = false;
    let firstFailure: ReaderStateChange | undefined;
    let failed: () => void = () => undefined;
    const failure = new Promise<void>((resolve) => {
      failed = resolve;
    });
    session.on("state", (change) => {
      if (change.state === "reading") everReading = true;
      io.stderr.write(`reader ${change.state}${change.detail ? `: ${change.detail}` : ""}\n`);
      if (change.state === "degraded" && !everReading && !firstFailure) {
        firstFailure = change;
        failed();
      }
    });
    const printing = (async () => {
      for await (const read of reads) {
        if (!io.stdout.write(`${JSON.stringify(read)}\n`)) {
          await new Promise((resolve) => io.stdout.once("drain", resolve));
        }
      }
    })();
    session.start();
    await Promise.race([io.waitForStop(), failure]);
    await session.stop();
    reads.close();
    await printing;
    if (reads.dropped > 0)
      io.stderr.write(`${reads.dropped} reads not printed: the output was too slow\n`);
    logger.flush();
    if (firstFailure) {
      const error = firstFailure.error;
      throw new CliError(
        error instanceof ReaderOpenError
          ? error.message
          : (firstFailure.detail ?? "the reader failed"),
      );
    }
    io.stderr.write(`${session.stats.tags} reads\n`);
    return 0;
  },
};

function readerSettings(values: OptionValues): ReaderSettings {
  const settings: ReaderSettings = { antennas: [1] };
  const antennas = stringOption(values, "antennas");
  if (antennas !== undefined) {
    const ports = antennas.split(",").map((part) => Number(part.trim()));
    if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 64)) {
      throw new UsageError(`--antennas must be port numbers like 1,2, not "${antennas}"`);
    }
    settings.antennas = ports;
  }
  const region = stringOption(values, "region");
  if (region !== undefined) settings.region = region;
  const power = stringOption(values, "power");
  if (power !== undefined) {
    const dbm = Number(power);
    if (!Number.isFinite(dbm) || dbm < 0 || dbm > 33) {
      throw new UsageError(`--power must be dBm from 0 to 33, not "${power}"`);
    }
    settings.power = dbm;
  }
  return settings;
}
