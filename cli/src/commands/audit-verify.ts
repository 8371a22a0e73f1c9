import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parsePublicKey } from "@comptoir/contracts";
import { listSegments, verifyLedgerDirInParallel } from "@comptoir/device";
import { CliError, type Command, stringOption, UsageError } from "../command.js";

export const auditVerify: Command = {
  name: "audit verify",
  summary: "verify a ledger directory: hashes, links, seq order and checkpoint signatures",
  usage: "DIR [--public-key FILE] [--known SEQ:HASH]",
  help: `DIR is a ledger directory, or a node data directory holding ledger/.
Prints "ok <n> entries, head <hash>" and exits 0, or "broken at seq <n>: <reason>" and exits 1.
Nothing is changed; a torn last line (an unfinished write) is reported and ignored.
A ledger that starts past seq 1 is broken at its first seq unless retention left its signed
evidence (retention.json: the first kept seq and prev hash, and the gateway's ack), or starts
a new epoch (comptoir node new-epoch) linked to the last entry the gateway verified.
A ledger of several segments is verified on every core (at most 4 threads).

  --public-key FILE   the node's public key (PEM, or 64 hex digits): every checkpoint must be signed by it
  --known SEQ:HASH    a checkpoint you trust from earlier: the ledger must reach it with that hash`,
  options: { "public-key": { type: "string" }, known: { type: "string" } },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, io }) {
    const dir = await ledgerDir(positionals[0] as string);
    const publicKey = readPublicKey(stringOption(values, "public-key"));
    const known = parseKnown(stringOption(values, "known"));
    const progress = io.stderr.isTTY
      ? (count: number) => io.stderr.write(`\rverified ${count.toLocaleString("en")} entries…`)
      : undefined;
    const checked = await verifyLedgerDirInParallel(dir, {
      ...(publicKey ? { publicKey } : {}),
      ...(known ? { known } : {}),
      ...(progress ? { onProgress: progress } : {}),
    });
    if (progress) io.stderr.write("\r\x1b[K");
    if (checked.tornBytes > 0) {
      io.stderr.write(
        `note: the last ${checked.tornBytes} bytes are a torn write (no newline); ignored\n`,
      );
    }
    if (checked.startedAt !== undefined && checked.evidence) {
      // Only with the node's signed evidence: a ledger missing its start without it is broken.
      const { evidence } = checked;
      io.stderr.write(
        `note: seq 1-${checked.startedAt - 1} were removed by retention on ${evidence.at}, after the gateway acknowledged seq ${evidence.ackSeq}; evidence signed by key ${evidence.key} in retention.json; verified from seq ${checked.startedAt}\n`,
      );
    }
    if (checked.epoch) {
      const { epoch, previous, reason } = checked.epoch;
      io.stderr.write(
        `note: this ledger is epoch ${epoch}, started after seq ${previous.lastGoodSeq} (${previous.lastGoodHash}) of epoch ${previous.epoch}: ${reason}\n`,
      );
    }
    const { result } = checked;
    if (result.ok) {
      io.stdout.write(`ok ${result.count} entries, head ${result.head.hash}\n`);
      return 0;
    }
    io.stdout.write(`broken at seq ${result.seq}: ${result.reason}\n`);
    io.stderr.write(`${result.detail}\n`);
    return 1;
  },
};

async function ledgerDir(path: string): Promise<string> {
  if (!existsSync(path)) throw new CliError(`${path}: no such directory`);
  const nested = join(path, "ledger");
  const dir =
    (await listSegments(path).catch(() => [])).length === 0 && existsSync(nested) ? nested : path;
  try {
    if ((await listSegments(dir)).length === 0) {
      throw new CliError(
        `${dir} holds no ledger segments (files named like 00000000000000000001.jsonl)`,
      );
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${dir}: ${(error as Error).message}`);
  }
  return dir;
}

function readPublicKey(file: string | undefined) {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new CliError(
      `cannot read public key ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  try {
    return parsePublicKey(text);
  } catch {
    throw new CliError(`${file} is not an Ed25519 public key (expected PEM, or 64 hex digits)`);
  }
}

function parseKnown(text: string | undefined) {
  if (text === undefined) return undefined;
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text);
  if (!match)
    throw new UsageError(`--known must be SEQ:HASH (a seq and 64 hex digits), not "${text}"`);
  return { seq: Number(match[1]), hash: match[2] as string };
}
