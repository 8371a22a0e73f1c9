import { z } from "zod";

/**
 * Every MQTT topic Comptoir uses, built here and nowhere else. All live
 * under `comptoir/<site>/`. Ids become topic levels, so they may not hold
 * '/', '+', '#' or anything outside a safe alphabet.
 */
export const TopicIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, "must be 1-64 letters, digits, '_', '.' or '-'");

export const TOPIC_ROOT = "comptoir";

export type NodeTopicKind = "status" | "ledger" | "ack" | "cmd";

export function siteTopics(site: string) {
  const prefix = `${TOPIC_ROOT}/${topicId(site, "site")}`;
  const node = (id: string, kind: NodeTopicKind) => `${prefix}/node/${topicId(id, "node")}/${kind}`;
  return {
    prefix,
    nodeStatus: (id: string) => node(id, "status"),
    nodeLedger: (id: string) => node(id, "ledger"),
    nodeAck: (id: string) => node(id, "ack"),
    nodeCmd: (id: string) => node(id, "cmd"),
    credit: (customer: string) => `${prefix}/credit/${topicId(customer, "customer")}`,
    catalog: () => `${prefix}/catalog`,
    /** The site's locale and currency, retained: how every node formats money and dates. */
    locale: () => `${prefix}/locale`,
    /** A sales order's state, retained: the dock refuses held orders (issue 15). */
    order: (order: string) => `${prefix}/orders/${topicId(order, "order")}`,
    /** Subscription filters for the gateway. */
    allNode: (kind: NodeTopicKind) => `${prefix}/node/+/${kind}`,
    allCredit: () => `${prefix}/credit/+`,
    allOrders: () => `${prefix}/orders/+`,
  };
}

export type SiteTopics = ReturnType<typeof siteTopics>;

export type ParsedTopic =
  | { site: string; kind: NodeTopicKind; node: string }
  | { site: string; kind: "credit"; customer: string }
  | { site: string; kind: "order"; order: string }
  | { site: string; kind: "catalog" }
  | { site: string; kind: "locale" };

/** Reads a topic back into its parts; undefined for anything that is not one of ours. */
export function parseTopic(topic: string): ParsedTopic | undefined {
  const levels = topic.split("/");
  if (levels[0] !== TOPIC_ROOT || !isId(levels[1])) return undefined;
  const site = levels[1] as string;
  if (levels.length === 3 && levels[2] === "catalog") return { site, kind: "catalog" };
  if (levels.length === 3 && levels[2] === "locale") return { site, kind: "locale" };
  if (levels.length === 4 && levels[2] === "credit" && isId(levels[3])) {
    return { site, kind: "credit", customer: levels[3] as string };
  }
  if (levels.length === 4 && levels[2] === "orders" && isId(levels[3])) {
    return { site, kind: "order", order: levels[3] as string };
  }
  if (levels.length === 5 && levels[2] === "node" && isId(levels[3])) {
    const kind = levels[4];
    if (kind === "status" || kind === "ledger" || kind === "ack" || kind === "cmd") {
      return { site, kind, node: levels[3] as string };
    }
  }
  return undefined;
}

function isId(value: string | undefined): boolean {
  return value !== undefined && TopicIdSchema.safeParse(value).success;
}

function topicId(value: string, what: string): string {
  if (!isId(value)) throw new RangeError(`${what} id "${value}" cannot be an MQTT topic level`);
  return value;
}
