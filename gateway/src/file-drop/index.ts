import { resolve } from "node:path";
import type { Clock, Logger } from "@comptoir/contracts";
import type { FileDropConfig } from "@comptoir/firmware-config";
import type { CreditService } from "../credit/service.js";
import type { OrderService } from "../orders/service.js";
import type { Store } from "../store/store.js";
import { kindImporters } from "./importers.js";
import { FileDropWatcher } from "./watcher.js";

export type { KindImporter, ReadOutcome, ReadyFile } from "./importers.js";
export { kindImporters } from "./importers.js";
export { FileDropJournal, type FileOutcome, type FileRecord } from "./journal.js";
export { INBOUND_KINDS, type InboundKind, inboundDir, isTemporaryName } from "./layout.js";
export {
  FILE_DROP_ACTOR,
  type FileDropOptions,
  type FileDropStatus,
  FileDropWatcher,
} from "./watcher.js";

/**
 * The gateway's file drop from its config, or undefined when
 * `fileDrop.directory` is not set. Not started: call `start()` once the API
 * listens, `stop()` before the store closes.
 */
export function createFileDrop(deps: {
  config: FileDropConfig;
  dataDir: string;
  store: Store;
  credit: CreditService;
  orders: OrderService;
  clock?: Clock;
  logger?: Logger;
}): FileDropWatcher | undefined {
  const { config, store, credit } = deps;
  if (!config.directory) return undefined;
  return new FileDropWatcher({
    directory: resolve(deps.dataDir, config.directory),
    pollMs: config.pollMs,
    settleMs: config.settleMs,
    maxFileBytes: config.maxFileBytes,
    db: store.db,
    importers: kindImporters({ credit, orders: deps.orders }),
    // The catalog's and receivables' listeners (credit snapshots, catalog republish, held orders)
    // hear of an import once it has committed with its file's row.
    transaction: (work) =>
      credit.catalog.hold(() =>
        credit.receivables.changes.hold(() => store.db.transaction(work)()),
      ),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
}
