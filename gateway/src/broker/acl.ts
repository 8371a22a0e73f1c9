import { parseTopic, siteTopics } from "@comptoir/contracts";

/**
 * What a node may do on the embedded broker. It publishes only under its
 * own `node/<id>/` (ledger and status), and reads only its own ack and cmd
 * topics and the site's credit snapshots, order states, catalog and locale. No
 * other wildcard, no `$SYS`, nothing of another site.
 */
export function nodeMayPublish(site: string, node: string, topic: string): boolean {
  const parsed = parseTopic(topic);
  return (
    parsed !== undefined &&
    parsed.site === site &&
    (parsed.kind === "ledger" || parsed.kind === "status") &&
    parsed.node === node
  );
}

export function nodeMaySubscribe(site: string, node: string, filter: string): boolean {
  // The two wildcards a node may use: every credit snapshot and every order
  // state of its site (the dock checks orders offline, from what it kept).
  const topics = siteTopics(site);
  if (filter === topics.allCredit() || filter === topics.allOrders()) return true;
  if (filter.includes("+") || filter.includes("#")) return false;
  const parsed = parseTopic(filter);
  if (parsed === undefined || parsed.site !== site) return false;
  switch (parsed.kind) {
    case "ack":
    case "cmd":
      return parsed.node === node;
    case "credit":
    case "order":
    case "catalog":
    case "locale":
      return true;
    default:
      return false;
  }
}
