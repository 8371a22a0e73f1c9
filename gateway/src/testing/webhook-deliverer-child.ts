/**
 * A webhook deliverer alone in a process, over a gateway database, for the
 * test that SIGKILLs it mid-delivery: `node --import tsx this.ts DB URL SECRET`.
 * Prints "delivering" once started, then runs until killed.
 */
import { WebhookDeliveryConfigSchema } from "@comptoir/firmware-config";
import { openDelivererConnection } from "../webhooks/connection.js";
import { WebhookDeliverer } from "../webhooks/deliverer.js";

const [dbPath, url, secret] = process.argv.slice(2);
if (!dbPath || !url || !secret) {
  process.stderr.write("usage: webhook-deliverer-child DB URL SECRET\n");
  process.exit(2);
}
// As a gateway opens it for its deliverer.
const db = openDelivererConnection(dbPath);
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
