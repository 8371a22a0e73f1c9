/**
 * A webhook deliverer alone in a process, over a gateway database, for the
 * test that SIGKILLs it mid-delivery: `node --import tsx this.ts DB URL SECRET`.
 * Prints "delivering" once started, then runs until killed.
 */
import { WebhookDeliveryConfigSchema } from "@comptoir/firmware-config";
import Database from "better-sqlite3";
import { WebhookDeliverer } from "../webhooks/deliverer.js";

const [dbPath, url, secret] = process.argv.slice(2);
if (!dbPath || !url || !secret) {
  process.stderr.write("usage: webhook-deliverer-child DB URL SECRET\n");
  process.exit(2);
}
const db = new Database(dbPath);
// As the gateway's store opens it: WAL, and every commit on disk before it returns.
db.pragma("journal_mode = WAL");
db.pragma("synchronous = FULL");
db.pragma("busy_timeout = 5000");
const deliverer = new WebhookDeliverer(db, {
  subscriptions: [{ id: "erp", url, secret }],
  delivery: WebhookDeliveryConfigSchema.parse({
    backoffBaseMs: 5,
    backoffMaxMs: 20,
    pollMs: 20,
    timeoutMs: 5000,
  }),
});
deliverer.start();
process.stdout.write("delivering\n");
