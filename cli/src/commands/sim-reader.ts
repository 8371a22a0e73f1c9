import { createLogger, type LogLevel } from "@comptoir/contracts";
import { parseReaderUrl, ReaderUrlError } from "@comptoir/device";
import {
  loadScenario,
  type NoiseOptions,
  ScenarioError,
  serveSimulatedReader,
} from "@comptoir/simulators";
import {
  CliError,
  type Command,
  integerOption,
  type OptionValues,
  requireOption,
  stringOption,
  UsageError,
} from "../command.js";
import { protocolOption } from "./reader-decode.js";

export const simReader: Command = {
  name: "sim reader",
  summary: "a simulated reader speaking the real byte protocol over TCP",
  usage:
    "--protocol thingmagic|r2000|em4100|line --listen tcp://HOST:PORT [--scenario FILE] [--rate N]",
  help: `Listens on HOST:PORT (port 0 picks a free one) and prints the URL it listens on.
Each connection gets a reader that answers the protocol's start-up commands as the real
one does, then streams tag records from the scenario (see simulators/README.md) or from a
random population. Stop with Ctrl-C.

  --scenario FILE         YAML or JSON scenario (items, populations, antennas, timing)
  --population N          without a scenario: N random tags (default 20)
  --rate N                most tag records per second (default 200)
  --seed N                random seed (default: the scenario's, or 1)
  --garbage P             noise: probability of random bytes before a record (0-1)
  --bad-checksum P        noise: probability of a corrupted record (0-1)
  --split                 noise: send every write in pieces of 1-7 bytes
  --disconnect-after N    noise: drop the connection after N records

example: comptoir sim reader --protocol r2000 --listen tcp://127.0.0.1:4001 --rate 500`,
  options: {
    protocol: { type: "string", short: "p" },
    listen: { type: "string" },
    scenario: { type: "string" },
    population: { type: "string" },
    rate: { type: "string" },
    seed: { type: "string" },
    garbage: { type: "string" },
    "bad-checksum": { type: "string" },
    split: { type: "boolean" },
    "disconnect-after": { type: "string" },
  },
  async run({ values, io }) {
    const protocol = protocolOption(requireOption(values, "protocol"));
    const listen = listenAddress(requireOption(values, "listen"));
    const rate = integerOption(values, "rate", 1, 1_000_000);
    const population = integerOption(values, "population", 1, 1_000_000);
    const seed = integerOption(values, "seed", 0, 2 ** 31 - 1);
    const noise = noiseOptions(values);
    const file = stringOption(values, "scenario");
    let scenario: Awaited<ReturnType<typeof loadScenario>> | undefined;
    try {
      scenario = file === undefined ? undefined : await loadScenario(file);
    } catch (error) {
      if (error instanceof ScenarioError) throw new CliError(error.message);
      throw error;
    }
    const level: LogLevel | undefined = io.verbose
      ? "debug"
      : io.env.COMPTOIR_LOG_LEVEL
        ? undefined
        : "warn";
    const logger = createLogger(level ? { level } : {});
    let server: Awaited<ReturnType<typeof serveSimulatedReader>>;
    try {
      server = await serveSimulatedReader({
        protocol: protocol.name,
        host: listen.host,
        port: listen.port,
        logger,
        ...(scenario ? { scenario } : {}),
        ...(rate !== undefined ? { rate } : {}),
        ...(population !== undefined ? { population } : {}),
        ...(seed !== undefined ? { seed } : {}),
        ...(noise ? { noise } : {}),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(
        code === "EADDRINUSE"
          ? `cannot listen on ${listen.host}:${listen.port}: the port is in use — pick another, or 0 for a free one`
          : `cannot listen on ${listen.host}:${listen.port}: ${(error as Error).message}`,
      );
    }
    io.stdout.write(`${server.url}\n`);
    await io.waitForStop();
    await server.close();
    logger.flush();
    return 0;
  },
};

function listenAddress(text: string): { host: string; port: number } {
  try {
    const address = parseReaderUrl(text);
    if (address.kind !== "tcp")
      throw new UsageError(`--listen must be tcp://HOST:PORT, not "${text}"`);
    return { host: address.host, port: address.port };
  } catch (error) {
    if (error instanceof ReaderUrlError) throw new UsageError(`--listen: ${error.message}`);
    throw error;
  }
}

function noiseOptions(values: OptionValues): NoiseOptions | undefined {
  const noise: NoiseOptions = {};
  const probability = (name: string) => {
    const text = stringOption(values, name);
    if (text === undefined) return undefined;
    const value = Number(text);
    if (!(value >= 0 && value <= 1))
      throw new UsageError(`--${name} must be a probability from 0 to 1, not "${text}"`);
    return value;
  };
  const garbage = probability("garbage");
  const badChecksum = probability("bad-checksum");
  const disconnectAfter = integerOption(values, "disconnect-after", 1, Number.MAX_SAFE_INTEGER);
  if (garbage !== undefined) noise.garbage = garbage;
  if (badChecksum !== undefined) noise.badChecksum = badChecksum;
  if (values.split === true) noise.split = true;
  if (disconnectAfter !== undefined) noise.disconnectAfter = disconnectAfter;
  return Object.keys(noise).length > 0 ? noise : undefined;
}
