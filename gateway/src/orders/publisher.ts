import {
  type Logger,
  type OrderStateMessage,
  OrderStateMessageSchema,
  silentLogger,
  siteTopics,
} from "@comptoir/contracts";
import type { GatewayBus } from "../bus/bus.js";

/**
 * Publishes an order's state to the nodes, retained on `orders/<order>`
 * (issue 15, "At the dock"): the dock refuses a held order and raises an
 * alert when its goods leave anyway, from the last state it received, even
 * offline. The caller owns the version (it grows with every change of the
 * order, kept in its own store); the SigningBus signs the message for its
 * topic. Validated before it leaves, so a node never has to throw away what
 * the gateway meant. A failed publish is logged, never thrown: the order's
 * change is already committed, and the next change or start publishes again.
 */
export class OrderStatePublisher {
  private readonly log: Logger;

  constructor(
    private readonly bus: Pick<GatewayBus, "publish"> | undefined,
    private readonly site: string,
    options: { logger?: Logger } = {},
  ) {
    this.log = (options.logger ?? silentLogger).child({ module: "orders:publisher" });
  }

  /** Resolves once the broker has the message, or once the failure is logged. */
  async publish(message: OrderStateMessage): Promise<void> {
    const checked = OrderStateMessageSchema.safeParse(message);
    if (!checked.success) {
      // A programming error on the gateway's side: say which field, send nothing.
      this.log.error(
        { order: message?.order, issues: checked.error.issues },
        "order state not published: it does not match the nodes' contract",
      );
      return;
    }
    if (!this.bus) return;
    const topic = siteTopics(this.site).order(checked.data.order);
    try {
      await this.bus.publish(topic, JSON.stringify(checked.data), { qos: 1, retain: true });
    } catch (error) {
      this.log.warn({ err: error, topic }, "could not publish; the next change or start will");
    }
  }
}
