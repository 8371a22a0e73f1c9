import { type Clock, type Logger, silentLogger, systemClock } from "@comptoir/contracts";
import type { WebhookDeliveryConfig } from "@comptoir/firmware-config";
import type Database from "better-sqlite3";
import { retryDelayMs } from "./backoff.js";
import { type DeliveryTarget, postWebhook } from "./post.js";
import { DeliveryQueue, type QueuedDelivery } from "./queue.js";

const HOUR_MS = 3_600_000;

export interface DelivererOptions {
  subscriptions: readonly DeliveryTarget[];
  delivery: WebhookDeliveryConfig;
  /** Delivered events older than this are deleted (at start, then hourly); none when absent. */
  retentionDays?: number;
  clock?: Clock;
  logger?: Logger;
  /** The jitter's source (tests pin it). */
  random?: () => number;
}

/**
 * Sends the outbox's events, one worker per subscription so that a slow or
 * dead receiver never holds up another. Within a subscription, strictly in
 * commit order: the head (oldest pending event) is retried until it is
 * delivered or dead, and nothing after it goes out before.
 */
export class WebhookDeliverer {
  private readonly workers: SubscriptionWorker[];
  private running: Promise<void>[] = [];
  private readonly queue: DeliveryQueue;
  private readonly log: Logger;
  private readonly clock: Clock;
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    db: Database.Database,
    private readonly options: DelivererOptions,
  ) {
    const queue = new DeliveryQueue(db);
    this.queue = queue;
    this.clock = options.clock ?? systemClock;
    const log = (options.logger ?? silentLogger).child({ module: "webhooks" });
    this.log = log;
    this.workers = options.subscriptions.map(
      (target) =>
        new SubscriptionWorker(target, queue, {
          delivery: options.delivery,
          clock: options.clock ?? systemClock,
          log: log.child({ subscription: target.id }),
          random: options.random ?? Math.random,
        }),
    );
  }

  start(): void {
    if (this.running.length > 0) return;
    this.running = this.workers.map((worker) => worker.run());
    if (this.options.retentionDays !== undefined) {
      this.prune(this.options.retentionDays);
      const days = this.options.retentionDays;
      this.pruneTimer = setInterval(() => this.prune(days), HOUR_MS);
      this.pruneTimer.unref();
    }
  }

  /** Keeps the outbox from growing for ever: what was delivered long ago is of no more use. */
  private prune(days: number): void {
    try {
      const before = new Date(this.clock.now().getTime() - days * 24 * HOUR_MS);
      const pruned = this.queue.prune(before);
      if (pruned.deliveries > 0 || pruned.events > 0)
        this.log.info(
          { ...pruned, before: before.toISOString() },
          "old delivered webhooks deleted",
        );
    } catch (error) {
      this.log.warn({ err: error }, "old delivered webhooks not deleted; trying again in an hour");
    }
  }

  /** Look now: an event was committed, or a dead letter replayed. */
  wake(): void {
    for (const worker of this.workers) worker.wake();
  }

  /** Aborts the POSTs in flight (they count as not tried) and waits for the workers to end. */
  async stop(): Promise<void> {
    clearInterval(this.pruneTimer);
    for (const worker of this.workers) worker.stop();
    await Promise.all(this.running);
    this.running = [];
  }
}

class SubscriptionWorker {
  private readonly stopping = new AbortController();
  private wakeUp: (() => void) | undefined;
  private woken = false;

  constructor(
    private readonly target: DeliveryTarget,
    private readonly queue: DeliveryQueue,
    private readonly options: {
      delivery: WebhookDeliveryConfig;
      clock: Clock;
      log: Logger;
      random: () => number;
    },
  ) {}

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  stop(): void {
    this.stopping.abort();
    this.wakeUp?.();
  }

  async run(): Promise<void> {
    const { pollMs } = this.options.delivery;
    while (!this.stopping.signal.aborted) {
      try {
        const head = this.queue.head(this.target.id);
        if (!head) {
          await this.idle(pollMs);
          continue;
        }
        const wait = head.nextAttemptAt - this.options.clock.now().getTime();
        // Longer than any backoff: the clock was set back; the retry is due now, not in hours.
        if (wait > 0 && wait <= this.options.delivery.backoffMaxMs) {
          // Capped by the poll: a replay or a clock change is seen within it.
          await this.idle(Math.min(wait, pollMs));
          continue;
        }
        await this.attempt(head);
      } catch (error) {
        // The store is busy or closing: never crash the gateway over a webhook; look again later.
        this.options.log.error({ err: error }, "webhook queue unreadable; retrying");
        await this.idle(pollMs);
      }
    }
  }

  private async attempt(delivery: QueuedDelivery): Promise<void> {
    const { delivery: settings, clock, log, random } = this.options;
    const outcome = await postWebhook(this.target, delivery, {
      now: clock.now(),
      timeoutMs: settings.timeoutMs,
      stop: this.stopping.signal,
    });
    if (outcome.kind === "stopped") return;
    const at = clock.now();
    if (outcome.kind === "delivered") {
      this.queue.delivered(delivery, at);
      log.debug({ seq: delivery.seq, type: delivery.type, status: outcome.status }, "delivered");
      return;
    }
    const attempts = delivery.attempts + 1;
    if (attempts >= settings.maxAttempts) {
      this.queue.failed(delivery, outcome.error, at, { dead: true });
      log.warn(
        { seq: delivery.seq, type: delivery.type, attempts, error: outcome.error },
        "webhook parked in the dead-letter list; the events after it go on",
      );
      return;
    }
    const nextAttemptAt = at.getTime() + retryDelayMs(attempts, settings, random);
    this.queue.failed(delivery, outcome.error, at, { dead: false, nextAttemptAt });
    log.info(
      { seq: delivery.seq, type: delivery.type, attempts, error: outcome.error },
      "webhook not delivered; retrying",
    );
  }

  /** Waits `ms`, or less when woken or stopped; a wake that came while busy ends the next wait at once. */
  private idle(ms: number): Promise<void> {
    if (this.woken || this.stopping.signal.aborted) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
