/**
 * A gateway's file drop in a process of its own, for the crash test:
 * `node --import tsx file-drop-child.ts DATA_DIR DROP_DIR KILL_AT`. It scans
 * the drop once and exits 0, or SIGKILLs itself at KILL_AT while taking an
 * invoice file: `in-transaction` (the records written, not committed) or
 * `after-commit` (committed, the file not moved yet). `none`: no kill.
 */
import { join } from "node:path";
import { createIdentity, loadIdentity } from "@comptoir/contracts";
import { CreditService } from "../credit/service.js";
import { kindImporters } from "../file-drop/importers.js";
import { FileDropWatcher } from "../file-drop/watcher.js";
import { GatewayLedger } from "../ledger/gateway-ledger.js";
import { OrderService } from "../orders/service.js";
import { Store } from "../store/store.js";

const [dataDir, dropDir, killAt] = process.argv.slice(2) as [string, string, string];
const die = () => process.kill(process.pid, "SIGKILL");

const identity = await loadIdentity(dataDir).catch(() => createIdentity(dataDir));
const store = new Store(join(dataDir, "gateway.db"));
const ledger = new GatewayLedger(store, identity);
const credit = new CreditService({ store, ledger });
const orders = new OrderService({ store, ledger, credit });
for (const [id, name] of [
  ["acme", "ACME Bâtiment SAS"],
  ["bistro", "Le Bistro du Port"],
] as const)
  if (!credit.catalog.customer(id))
    credit.catalog.saveCustomer(
      { id, name, creditLimit: "unlimited", paymentTermsDays: 30 },
      { kind: "system", id: "test" },
      "create",
    );

const importers = kindImporters({ credit, orders });
const invoices = importers.invoices;
if (killAt === "in-transaction" && invoices)
  importers.invoices = {
    ...invoices,
    async read(bytes, format) {
      const read = await invoices.read(bytes, format);
      if (!read.ok) return read;
      return {
        ...read,
        store(actor) {
          read.store(actor);
          die();
        },
      };
    },
  };
const watcher = new FileDropWatcher({
  directory: dropDir,
  pollMs: 60_000,
  settleMs: 0,
  maxFileBytes: 1024 * 1024,
  db: store.db,
  importers,
  transaction: (work) => {
    const result = credit.receivables.changes.hold(() => store.db.transaction(work)());
    if (killAt === "after-commit") die();
    return result;
  },
});
await watcher.scan();
store.close();
process.stdout.write("scanned\n");
