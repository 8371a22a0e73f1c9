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
  private readonly deliverer: WebhookDeliverer;
  /** The deliverer's own connection (none for an in-memory store, which it then shares). */
  private readonly connection: Database.Database | undefined;

  /** Throws WebhookConfigError when a subscription's secret file cannot be read. */
  constructor(
    db: Database.Database,
    options: { config: WebhooksConfig; dataDir: string; clock: Clock; logger: Logger },
  ) {
    const { config, clock, logger } = options;
    const targets = webhookTargets(config, options.dataDir);
    this.outbox = new Outbox(db, { subscriptions: config.subscriptions, clock });
    this.connection =
      db.memory || targets.length === 0 ? undefined : openDelivererConnection(db.name);
    this.deliverer = new WebhookDeliverer(this.connection ?? db, {
      subscriptions: targets,
      delivery: config.delivery,
      retentionDays: config.retentionDays,
      clock,
      logger,
    });
    this.admin = new WebhookAdmin(db, config.subscriptions, {
      clock,
      wake: () => this.deliverer.wake(),
    });
    this.outbox.onEnqueued(() => this.deliverer.wake());
  }

  start(): void {
    this.deliverer.start();
  }

  async stop(): Promise<void> {
    await this.deliverer.stop();
    this.connection?.close();
  }
}
