import { appendFile, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { silentLogger } from "@comptoir/contracts";
import { FileDropConfigSchema } from "@comptoir/firmware-config";
import {
  createFileDrop,
  FILE_DROP_ACTOR,
  FileDropJournal,
  type FileDropWatcher,
  type InboundKind,
  inboundDir,
  kindImporters,
} from "../file-drop/index.js";
import type { DropContext } from "../file-drop/take-file.js";
import { cleanupAfterEach } from "./broker.js";
import { reconciliationSetup } from "./gateway-app.js";

/** How long a file must stay unchanged in these tests (the injected clock's ms). */
export const TEST_SETTLE_MS = 5000;

/**
 * A gateway store with the two customers of the sample invoices (acme,
 * bistro) and a file drop in `<dir>/drop`, on the injected clock, not
 * polling: tests call `scan()` and move the clock themselves.
 */
export async function fileDropSite() {
  const s = await reconciliationSetup("2026-03-20T10:00:00.000Z");
  await s.customer("acme", "ACME Bâtiment SAS");
  await s.customer("bistro", "Le Bistro du Port");
  const root = join(s.dir, "drop");
  /** A watcher as the gateway builds it (a new one is a gateway restarted on the same store and folder). */
  const watcher = (config: { maxFileBytes?: number } = {}): FileDropWatcher => {
    const made = createFileDrop({
      config: FileDropConfigSchema.parse({
        directory: "drop",
        settleMs: TEST_SETTLE_MS,
        ...config,
      }),
      dataDir: s.dir,
      store: s.store,
      credit: s.credit,
      orders: s.orders,
      clock: s.clock,
    });
    if (!made) throw new Error("fileDrop.directory was set: a watcher was expected");
    return made;
  };
  const path = (kind: InboundKind, name: string) => join(inboundDir(root, kind), name);
  /** What the watcher takes a file with, to run its steps one by one (a crash between them). */
  const context = (): DropContext => ({
    root,
    maxFileBytes: FileDropConfigSchema.parse({}).maxFileBytes,
    journal: new FileDropJournal(s.store.db),
    importers: kindImporters({ credit: s.credit, orders: s.orders }),
    transaction: (work) =>
      s.credit.catalog.hold(() =>
        s.credit.receivables.changes.hold(() => s.store.db.transaction(work)()),
      ),
    clock: s.clock,
    log: silentLogger,
    actor: FILE_DROP_ACTOR,
  });
  return {
    ...s,
    root,
    watcher,
    context,
    path,
    /** Drops a file as an ERP should: under a temp name, renamed once complete. */
    async drop(kind: InboundKind, name: string, content: string | Uint8Array) {
      await writeFile(path(kind, `${name}.tmp`), content);
      await rename(path(kind, `${name}.tmp`), path(kind, name));
    },
    append: (kind: InboundKind, name: string, content: string) =>
      appendFile(path(kind, name), content),
    /** Scans, lets the settle time pass, scans again: a complete file is taken by then. */
    async settleAndScan(w: FileDropWatcher) {
      await w.scan();
      s.clock.advance(TEST_SETTLE_MS);
      await w.scan();
    },
    /** The file names in `inbound/<kind>/` or one of its sub-folders, sorted. */
    async list(kind: InboundKind, sub: "" | "archive" | "error" = "") {
      const entries = await readdir(join(inboundDir(root, kind), sub), { withFileTypes: true });
      return entries
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort();
    },
    read: (kind: InboundKind, sub: string, name: string) =>
      readFile(join(inboundDir(root, kind), sub, name), "utf8"),
    /** Invoice numbers stored, sorted. */
    invoiceNumbers: () =>
      (
        s.store.db.prepare("SELECT number FROM invoices ORDER BY number").all() as {
          number: string;
        }[]
      ).map((row) => row.number),
  };
}
export type FileDropSite = Awaited<ReturnType<typeof fileDropSite>>;

/** Call at the top of a test file: a fresh `fileDropSite()` per call, closed after its test. */
export function fileDropSitePerTest(): () => Promise<FileDropSite> {
  const defer = cleanupAfterEach();
  return async () => {
    const s = await fileDropSite();
    defer(s.close);
    return s;
  };
}
