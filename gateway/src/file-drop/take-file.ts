import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Clock, InputProblem, Logger } from "@comptoir/contracts";
import { formatOfFile } from "../file-readers/format.js";
import type { Actor } from "../ledger/gateway-ledger.js";
import type { KindImporter } from "./importers.js";
import type { FileDropJournal, FileRecord } from "./journal.js";
import { ARCHIVE, ERROR, type InboundKind, inboundDir } from "./layout.js";
import { moveWithoutOverwrite, REPORT_SUFFIX, writeWhole } from "./place.js";
import { errorReport } from "./report.js";

/** What taking a file needs: the folders, the journal, the importers and the store's transaction. */
export interface DropContext {
  root: string;
  /** A larger file is refused unread. */
  maxFileBytes: number;
  journal: FileDropJournal;
  importers: Partial<Record<InboundKind, KindImporter>>;
  /** Runs `work` in one store transaction (listeners of the change told once it is committed). */
  transaction: <T>(work: () => T) => T;
  clock: Clock;
  log: Logger;
  actor: Actor;
}

/** What the first step decided; the second step moves the file accordingly. */
export type Decision =
  /** Imported and committed with its journal row: archive it. */
  | { step: "imported"; id: number; count: number }
  /** Imported before (a crash came between the commit and the move): archive it, import nothing. */
  | { step: "recovered"; record: FileRecord }
  /** Refused, or the same content as a file imported and archived before: error/ with a report. */
  | {
      step: "refused";
      outcome: "refused" | "duplicate";
      problems: InputProblem[];
      format: string | null;
      advice?: string;
    };

interface Taken {
  kind: InboundKind;
  name: string;
  /** Undefined for a file too large to read. */
  bytes: Uint8Array | undefined;
  size: number;
  sha256: string;
  takenAt: string;
}

/**
 * Step one: reads the whole file, and either imports it (its records and
 * its journal row in ONE transaction, so a crash leaves both or neither) or
 * says why not. Nothing is moved yet.
 */
export async function importStep(
  ctx: DropContext,
  kind: InboundKind,
  name: string,
): Promise<{ taken: Taken; decision: Decision }> {
  const path = join(inboundDir(ctx.root, kind), name);
  const { size } = await stat(path);
  const takenAt = ctx.clock.now().toISOString();
  if (size > ctx.maxFileBytes) {
    const message = `the file is ${size} bytes, over the limit of ${ctx.maxFileBytes} (fileDrop.maxFileBytes): split it into smaller files`;
    return {
      taken: { kind, name, bytes: undefined, size, sha256: await sha256Of(path), takenAt },
      decision: {
        step: "refused",
        outcome: "refused",
        format: null,
        problems: [{ path: "", message }],
      },
    };
  }
  const bytes = new Uint8Array(await readFile(path));
  const taken = {
    kind,
    name,
    bytes,
    size: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    takenAt,
  };
  return { taken, decision: await decide(ctx, taken) };
}

/** The SHA-256 of a file read as a stream, for a file too large to hold. */
async function sha256Of(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function decide(ctx: DropContext, taken: Taken & { bytes: Uint8Array }): Promise<Decision> {
  const { kind, name } = taken;
  const before = ctx.journal.imported(kind, taken.sha256);
  if (before && before.movedTo === null) return { step: "recovered", record: before };
  if (before) {
    const message = `the same content was already imported on ${before.takenAt} as ${before.name} (now ${kind}/${before.movedTo}); nothing was imported again`;
    return {
      step: "refused",
      outcome: "duplicate",
      format: before.format,
      problems: [{ path: "", message }],
      advice:
        "What to do: nothing if this is the same file sent twice. If it holds new records, it must differ from the earlier file: export them again (a new file name alone is not enough).",
    };
  }
  const importer = ctx.importers[kind];
  const format = formatOfFile(name);
  if (!importer || !format || !importer.formats.includes(format)) {
    const names = (importer?.formats ?? []).map((f) => `.${f}`).join(", ");
    const message = `${name} is not a file this folder reads: name it ${names}`;
    return { step: "refused", outcome: "refused", format: null, problems: [{ path: "", message }] };
  }
  const read = await importer.read(taken.bytes, format);
  if (!read.ok) return { step: "refused", outcome: "refused", format, problems: read.problems };
  try {
    const id = ctx.transaction(() => {
      // The row first: after it, only the import runs before the commit.
      const row = ctx.journal.add({
        kind,
        name,
        sha256: taken.sha256,
        size: taken.size,
        outcome: "imported",
        format: read.format,
        count: read.count,
        problems: [],
        notes: read.notes,
        takenAt: taken.takenAt,
        movedTo: null,
      });
      read.store(ctx.actor);
      return row;
    });
    return { step: "imported", id, count: read.count };
  } catch (error) {
    const refusal = importer.refusals.find((Refused) => error instanceof Refused);
    if (!refusal) throw error;
    const problems = (error as Error & { problems: InputProblem[] }).problems;
    return { step: "refused", outcome: "refused", format: read.format, problems };
  }
}

/**
 * Step two: moves the file out of inbound/, never over an earlier one.
 * Imported: to archive/. Refused: its report `<name>.errors.txt` is
 * written in error/ first, then the file joins it. Returns where it went.
 */
export async function moveStep(
  ctx: DropContext,
  taken: Taken,
  decision: Decision,
): Promise<string> {
  const folder = inboundDir(ctx.root, taken.kind);
  const source = join(folder, taken.name);
  const at = ctx.clock.now();
  if (decision.step !== "refused") {
    const name = await moveWithoutOverwrite(source, join(folder, ARCHIVE), taken.name, at);
    const movedTo = `${ARCHIVE}/${name}`;
    ctx.journal.moved(decision.step === "imported" ? decision.id : decision.record.id, movedTo);
    return movedTo;
  }
  const name = await moveWithoutOverwrite(source, join(folder, ERROR), taken.name, at, (chosen) =>
    writeWhole(
      join(folder, ERROR, chosen + REPORT_SUFFIX),
      errorReport({
        kind: taken.kind,
        name: taken.name,
        takenAt: taken.takenAt,
        problems: decision.problems,
        ...(decision.advice ? { advice: decision.advice } : {}),
      }),
    ),
  );
  const movedTo = `${ERROR}/${name}`;
  ctx.journal.add({
    kind: taken.kind,
    name: taken.name,
    sha256: taken.sha256,
    size: taken.size,
    outcome: decision.outcome,
    format: decision.format,
    count: 0,
    problems: decision.problems,
    notes: [],
    takenAt: taken.takenAt,
    movedTo,
  });
  return movedTo;
}

/** Both steps: the file is imported (or not), then archived or put in error/ with its report. */
export async function takeFile(ctx: DropContext, kind: InboundKind, name: string) {
  const { taken, decision } = await importStep(ctx, kind, name);
  const movedTo = await moveStep(ctx, taken, decision);
  const outcome = decision.step === "refused" ? decision.outcome : decision.step;
  ctx.log.info(
    { kind, file: name, outcome, movedTo, sha256: taken.sha256 },
    outcome === "recovered"
      ? "file imported before a restart archived, not imported again"
      : `file ${outcome}`,
  );
  return { outcome, movedTo, decision };
}
