import { readFile } from "node:fs/promises";
import type { ProtocolDecoder, ReaderMessage, ReaderProtocol } from "@comptoir/device";
import { PROTOCOL_NAMES, protocolByName, toRead } from "@comptoir/device";
import { CliError, type Command, requireOption, UsageError } from "../command.js";

const CHUNK = 64 * 1024;

export const readerDecode: Command = {
  name: "reader decode",
  summary: "decode a captured reader byte stream into JSON lines, one per read",
  usage: "--protocol P [--hex] [FILE]",
  help: `Reads FILE (stdin when absent): raw bytes as captured from the port, or with --hex
hex text (whitespace, commas, colons and 0x prefixes are ignored). Prints one JSON line
per tag read: epc, GS1 identity when the EPC has one, antenna, rssi, frequency, readerTime.
On stderr: how many reads and other frames were found, and the bytes skipped by reason
(garbage, bad checksum, bad length, truncated, unknown frame).
Exits 1 when the input holds not one valid frame of that protocol.

  --protocol P   ${PROTOCOL_NAMES.join(" | ")}
  --hex          the input is hex text

example: comptoir reader decode --protocol thingmagic --hex capture.txt`,
  options: { protocol: { type: "string", short: "p" }, hex: { type: "boolean" } },
  positionals: { min: 0, max: 1 },
  async run({ values, positionals, io }) {
    const protocol = protocolOption(requireOption(values, "protocol"));
    const file = positionals[0];
    const input = file === undefined ? await readStdin() : await readInput(file);
    const bytes = values.hex === true ? parseHex(input, file ?? "stdin") : input;
    const decoder = protocol.createDecoder();
    let reads = 0;
    let others = 0;
    const hostTime = new Date();
    const emit = (messages: ReaderMessage[]) => {
      let out = "";
      for (const message of messages) {
        if (message.kind !== "tag") {
          others++;
          continue;
        }
        reads++;
        const {
          hostTime: _time,
          reader: _reader,
          ...read
        } = toRead(message.tag, "capture", hostTime);
        out += `${JSON.stringify(read)}\n`;
      }
      if (out) io.stdout.write(out);
    };
    for (let at = 0; at < bytes.length; at += CHUNK)
      emit(decoder.push(bytes.subarray(at, at + CHUNK)));
    emit(flush(decoder));
    const skipped = Object.entries(decoder.skipped)
      .filter(([, n]) => n > 0)
      .map(([reason, n]) => `${reason} ${n}`);
    io.stderr.write(
      `${reads} reads, ${others} other frames from ${bytes.length} bytes; skipped: ${skipped.length ? skipped.join(", ") : "none"}\n`,
    );
    if (bytes.length > 0 && reads + others === 0) {
      throw new CliError(
        `no valid ${protocol.name} frame in ${bytes.length} bytes — another protocol${values.hex === true ? "" : ", or hex text (add --hex)"}?`,
      );
    }
    return 0;
  },
};

export function protocolOption(name: string): ReaderProtocol {
  try {
    return protocolByName(name);
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/ \(readers\[\]\.protocol.*\)$/, ""));
  }
}

function flush(decoder: ProtocolDecoder): ReaderMessage[] {
  const flushable = decoder as ProtocolDecoder & { flush?: () => ReaderMessage[] };
  return typeof flushable.flush === "function" ? flushable.flush() : [];
}

async function readInput(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === "ENOENT"
        ? `${file}: no such file`
        : `cannot read ${file}: ${code ?? (error as Error).message}`,
    );
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Hex text → bytes; separators and 0x prefixes are ignored, anything else is an error with its place. */
function parseHex(input: Buffer, where: string): Buffer {
  const text = input.toString("latin1").replace(/0x/gi, "");
  const digits = text.replace(/[\s,:;-]+/g, "");
  const bad = /[^0-9a-fA-F]/.exec(digits);
  if (bad) {
    const line = text.slice(0, text.indexOf(bad[0])).split("\n").length;
    throw new CliError(
      `${where}:${line}: "${bad[0]}" is not a hex digit — is this raw bytes (drop --hex)?`,
    );
  }
  if (digits.length % 2 !== 0) {
    throw new CliError(
      `${where}: odd number of hex digits (${digits.length}) — a byte is cut in half`,
    );
  }
  return Buffer.from(digits, "hex");
}
