import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createIdentity,
  createLogger,
  entryHash,
  entryLine,
  type LedgerEntry,
} from "@comptoir/contracts";
import { Ledger, listSegments, verifyLedgerDir } from "@comptoir/device";
import { type Command, stringOption } from "../command.js";

/**
 * The mechanism everything rests on, shown alone: a node ledger is
 * written, verified, tampered with, and caught.
 */
export const demoLedger: Command = {
  name: "demo ledger",
  summary: "demonstrate the ledger: append, verify, tamper with a copy, verify again",
  usage: "[--data DIR] [--keep]",
  help: `Writes a node ledger of receiving, put-away and counter sales into DIR (a temporary
directory by default), verifies it, then edits copies of it the way a tamperer would and
shows how verification names the first bad seq and the reason.

  --data DIR   where to write (must not hold a ledger yet)
  --keep       keep the temporary directory for inspection`,
  options: { data: { type: "string" }, keep: { type: "boolean" } },
  async run({ values, io }) {
    const given = stringOption(values, "data");
    const root = given ?? (await mkdtemp(join(tmpdir(), "comptoir-demo-")));
    const out = (line = "") => io.stdout.write(`${line}\n`);
    const logger = createLogger({ level: io.verbose ? "info" : "warn" });
    try {
      const identity = await createIdentity(join(root, "node-dock-1"));
      const dir = join(root, "node-dock-1", "ledger");
      const ledger = await Ledger.open({
        dir,
        chain: "node-dock-1",
        identity,
        checkpointEvery: 250,
        logger,
      });
      out(`Comptoir ledger demo — node "node-dock-1", ledger in ${dir}`);
      const appends = [];
      for (let i = 1; i <= 1200; i++) appends.push(ledger.append(...sampleEvent(i)));
      await Promise.all(appends);
      await ledger.close();
      out(
        `appended 1200 movements and sales; the ledger signed a checkpoint every 250 entries and at close`,
      );

      const publicKey = identity.publicKey;
      const clean = await verifyLedgerDir(dir, { publicKey });
      out(`verify original:            ${describe(clean.result)}`);

      out();
      out("Now a copy is edited the way someone hiding a sale would:");
      const sale = (await readEntries(dir)).find(
        (entry) => entry.seq >= 600 && entry.type === "sale",
      );
      const saleSeq = sale?.seq ?? 600;
      const tampers: [string, (entries: LedgerEntry[]) => void][] = [
        [
          `the amount of the sale at seq ${saleSeq} cut to 0.01`,
          (entries) => setAmount(entries, saleSeq, false),
        ],
        [
          "the same, and that entry's hash recomputed",
          (entries) => setAmount(entries, saleSeq, true),
        ],
        ["entry seq 700 deleted", (entries) => entries.splice(699, 1)],
        [
          "entries seq 800 and 801 swapped",
          (entries) =>
            entries.splice(799, 2, entries[800] as LedgerEntry, entries[799] as LedgerEntry),
        ],
      ];
      for (const [label, tamper] of tampers) {
        const copy = join(root, `tampered-${tampers.findIndex(([l]) => l === label) + 1}`);
        await cp(dir, copy, { recursive: true });
        await rewrite(copy, tamper);
        const checked = await verifyLedgerDir(copy, { publicKey });
        out(`  ${`${label}:`.padEnd(40)} ${describe(checked.result)}`);
      }
      out();
      out(
        "Check any ledger directory yourself with: npx comptoir audit verify DIR [--public-key FILE]",
      );
      if (given || values.keep) out(`files kept in ${root}`);
      return 0;
    } finally {
      if (!given && !values.keep) await rm(root, { recursive: true, force: true });
    }
  },
};

function sampleEvent(i: number): [string, Record<string, unknown>] {
  const epc = `3034257BF7194E40${i.toString(16).toUpperCase().padStart(8, "0")}`;
  if (i % 4 === 0)
    return [
      "sale",
      { epc, customer: "C-1042", amount: { amount: 1990 + i, currency: "EUR" }, onAccount: true },
    ];
  const kind = i % 4 === 1 ? "receive" : "putaway";
  return [
    "movement",
    {
      epc,
      kind,
      from: kind === "receive" ? null : "dock-1",
      to: kind === "receive" ? "dock-1" : "shelf-a3",
    },
  ];
}

function setAmount(entries: LedgerEntry[], seq: number, rehash: boolean): void {
  const entry = entries.find((e) => e.seq === seq);
  if (entry?.type !== "sale") return;
  (entry.data as { amount: { amount: number } }).amount.amount = 1;
  if (rehash) entry.hash = entryHash(entry);
}

async function readEntries(dir: string): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for (const segment of await listSegments(dir)) {
    const text = await readFile(segment.path, "utf8");
    for (const line of text.split("\n")) if (line) entries.push(JSON.parse(line) as LedgerEntry);
  }
  return entries;
}

/** Rewrites a ledger copy as one segment after `tamper` has edited its entries. */
async function rewrite(dir: string, tamper: (entries: LedgerEntry[]) => void): Promise<void> {
  const entries = await readEntries(dir);
  const segments = await listSegments(dir);
  for (const segment of segments) await rm(segment.path);
  tamper(entries);
  await writeFile(
    join(dir, (segments[0] as { path: string }).path.split("/").pop() as string),
    entries.map(entryLine).join(""),
  );
}

function describe(result: Awaited<ReturnType<typeof verifyLedgerDir>>["result"]): string {
  return result.ok
    ? `ok ${result.count} entries, head ${result.head.hash.slice(0, 16)}…`
    : `broken at seq ${result.seq}: ${result.reason}`;
}
