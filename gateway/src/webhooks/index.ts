import type { Clock, Logger } from "@comptoir/contracts";
import type { WebhooksConfig } from "@comptoir/firmware-config";
import type Database from "better-sqlite3";
import { WebhookAdmin } from "./admin.js";
import { openDelivererConnection } from "./connection.js";
import { WebhookDeliverer } from "./deliverer.js";
import { Outbox } from "./outbox.js";
import { webhookTargets } from "./targets.js";

export { type ReplayResult, WebhookAdmin } from "./admin.js";
export { openDelivererConnection } from "./connection.js";
export { WebhookDeliverer } from "./deliverer.js";
export { Outbox, type WebhookSubscription } from "./outbox.js";
export type { DeliveryTarget } from "./post.js";
export { signatureHeader } from "./signature.js";
export { WebhookConfigError, webhookTargets } from "./targets.js";

/**
 * Outbound webhooks as the gateway runs them: the outbox services enqueue
 * into, the deliverer that sends (started once the API listens), and what
 * the admin API asks. Built from `webhooks` of the gateway config only.
 */
export class Webhooks {
  readonly outbox: Outbox;
  readonly admin: WebhookAdmin;
  /** Made at start, on its own connection (the store's for an in-memory store). */
  private running: { deliverer: WebhookDeliverer; connection?: Database.Database } | undefined;
  private readonly startDeliverer: () => WebhookDeliverer;

  /** Throws WebhookConfigError when a subscription's secret file cannot be read. */
  constructor(
    db: Database.Database,
    options: { config: WebhooksConfig; dataDir: string; clock: Clock; logger: Logger },
  ) {
    const { config, clock, logger } = options;
    // Read now: a secret file that cannot be read stops the gateway's start, before anything runs.
    const targets = webhookTargets(config, options.dataDir);
    this.outbox = new Outbox(db, { subscriptions: config.subscriptions, clock });
    this.admin = new WebhookAdmin(db, config.subscriptions, {
      clock,
      wake: () => this.running?.deliverer.wake(),
    });
    this.outbox.onEnqueued(() => this.running?.deliverer.wake());
    this.startDeliverer = () => {
      const connection =
        db.memory || targets.length === 0 ? undefined : openDelivererConnection(db.name);
      const deliverer = new WebhookDeliverer(connection ?? db, {
        subscriptions: targets,
        delivery: config.delivery,
        retentionDays: config.retentionDays,
        clock,
        logger,
      });
      this.running = { deliverer, ...(connection ? { connection } : {}) };
      return deliverer;
    };
  }

  /** Starts sending: what was committed while the gateway was down goes first. */
  start(): void {
    if (this.running) return;
    this.startDeliverer().start();
  }

  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    await running.deliverer.stop();
    running.connection?.close();
  }
}
