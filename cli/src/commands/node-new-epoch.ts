import { existsSync } from "node:fs";
import { mkdir, rename } from "node:fs/promises";
import { join } from "node:path";
import { loadIdentity } from "@comptoir/contracts";
import { AckedSeqFile, Ledger, listSegments } from "@comptoir/device";
import { loadConfigFile, NodeConfigSchema, resolveFromConfig } from "@comptoir/firmware-config";
import { CliError, type Command, integerOption, requireOption, UsageError } from "../command.js";

export const nodeNewEpoch: Command = {
  name: "node new-epoch",
  summary: "start a new epoch of this node's chain after the gateway recovered it (node stopped)",
  usage: "--config FILE --epoch E --seq N --hash H --reason TEXT",
  help: `After POST /api/v1/nodes/<id>/recover (or comptoir gateway node recover) answered the new
epoch E and the last entry the gateway verified (seq N, hash H), run this on the node while it is
stopped. The current ledger directory is moved, untouched, to <dataDir>/epochs/<E-1> (evidence:
comptoir audit verify still reports where it broke), and a new ledger starts at seq N+1 with an
'epoch' entry naming the previous epoch, N, H and the reason, signed at once by a checkpoint.
Then start the node: it syncs the new epoch from seq N+1.`,
  options: {
    config: { type: "string", short: "c" },
    epoch: { type: "string" },
    seq: { type: "string" },
    hash: { type: "string" },
    reason: { type: "string" },
  },
  async run({ values, io }) {
    const file = requireOption(values, "config");
    const epoch = integerOption(values, "epoch", 2, Number.MAX_SAFE_INTEGER);
    const seq = integerOption(values, "seq", 0, Number.MAX_SAFE_INTEGER);
    const hash = requireOption(values, "hash");
    const reason = requireOption(values, "reason").trim();
    if (epoch === undefined || seq === undefined)
      throw new UsageError("--epoch and --seq are required");
    if (!/^[0-9a-f]{64}$/.test(hash))
      throw new UsageError(`--hash must be 64 hex digits, not "${hash}"`);
    if (!reason) throw new UsageError("--reason must say why");
    const { config, warnings } = loadConfigFile(file, NodeConfigSchema, io.env);
    for (const warning of warnings) io.stderr.write(`warning: ${warning}\n`);
    const dataDir = resolveFromConfig(file, config.node.dataDir);
    const ledgerDir = config.ledger.dir
      ? resolveFromConfig(file, config.ledger.dir)
      : join(dataDir, "ledger");
    const identity = await loadIdentity(dataDir).catch(() => {
      throw new CliError(
        `no node identity in ${dataDir} — this must run on the node, with its config`,
      );
    });
    const archive = join(dataDir, "epochs", String(epoch - 1));
    if (existsSync(archive)) {
      throw new CliError(
        `${archive} already exists: epoch ${epoch} was started before — check --epoch`,
      );
    }
    if (existsSync(ledgerDir) && (await listSegments(ledgerDir)).length > 0) {
      await mkdir(join(dataDir, "epochs"), { recursive: true });
      await rename(ledgerDir, archive);
    }
    const ledger = await Ledger.startEpoch(
      { dir: ledgerDir, chain: config.node.id, identity },
      { seq, hash },
      { epoch, previous: { epoch: epoch - 1, lastGoodSeq: seq, lastGoodHash: hash }, reason },
    );
    await ledger.close();
    // The gateway holds the old epoch up to N: the node sends from N+1.
    const acked = new AckedSeqFile(dataDir, config.node.id);
    acked.save(seq);
    await acked.close();
    io.stdout.write(
      `node ${config.node.id}: epoch ${epoch} started at seq ${seq + 1} (after ${hash}); the previous ledger is kept in ${archive}\n` +
        "start the node: it sends the new epoch to the gateway\n",
    );
    return 0;
  },
};
