import type { Command } from "../command.js";

/**
 * A subcommand known by its name; its code loads only when it runs (or for
 * `comptoir --help`). Each command pulls its part of the system: a node on a
 * Pi must not load the gateway, the broker, SQLite or the benchmarks to run
 * `comptoir node` (tens of MB of resident memory). The bundle splits on
 * these dynamic imports, one chunk per command.
 */
export interface CommandEntry {
  /** Words after `comptoir`, the same as the loaded command's `name`. */
  name: string;
  load: () => Promise<Command>;
}

/** Every `comptoir` subcommand, in the order `comptoir --help` lists them. */
export const commands: CommandEntry[] = [
  { name: "demo", load: async () => (await import("./demo.js")).demo },
  { name: "demo ledger", load: async () => (await import("./demo-ledger.js")).demoLedger },
  { name: "gateway", load: async () => (await import("./gateway-run.js")).gatewayRun },
  {
    name: "gateway node revoke",
    load: async () => (await import("./gateway-node.js")).gatewayNodeRevoke,
  },
  {
    name: "gateway node rotate",
    load: async () => (await import("./gateway-node.js")).gatewayNodeRotate,
  },
  {
    name: "gateway node reenroll",
    load: async () => (await import("./gateway-node.js")).gatewayNodeReenroll,
  },
  {
    name: "gateway node recover",
    load: async () => (await import("./gateway-node.js")).gatewayNodeRecover,
  },
  { name: "node", load: async () => (await import("./node-run.js")).nodeRun },
  { name: "node init", load: async () => (await import("./node-init.js")).nodeInit },
  {
    name: "node new-epoch",
    load: async () => (await import("./node-new-epoch.js")).nodeNewEpoch,
  },
  {
    name: "node token create",
    load: async () => (await import("./node-token.js")).nodeTokenCreate,
  },
  { name: "node token list", load: async () => (await import("./node-token.js")).nodeTokenList },
  {
    name: "node token revoke",
    load: async () => (await import("./node-token.js")).nodeTokenRevoke,
  },
  { name: "audit verify", load: async () => (await import("./audit-verify.js")).auditVerify },
  { name: "bench", load: async () => (await import("./bench.js")).bench },
  { name: "sim reader", load: async () => (await import("./sim-reader.js")).simReader },
  { name: "sim site", load: async () => (await import("./sim-site.js")).simSite },
  {
    name: "sim answer-key",
    load: async () => (await import("./sim-answer-key.js")).simAnswerKey,
  },
  { name: "reader list", load: async () => (await import("./reader-list.js")).readerList },
  { name: "reader watch", load: async () => (await import("./reader-watch.js")).readerWatch },
  { name: "reader decode", load: async () => (await import("./reader-decode.js")).readerDecode },
  { name: "token create", load: async () => (await import("./token-create.js")).tokenCreate },
  { name: "token revoke", load: async () => (await import("./token-revoke.js")).tokenRevoke },
  {
    name: "import invoices",
    load: async () => (await import("./import-invoices.js")).importInvoices,
  },
  {
    name: "import payments",
    load: async () => (await import("./import-payments.js")).importPayments,
  },
  {
    name: "import customers",
    load: async () => (await import("./import-master-data.js")).importCustomers,
  },
  {
    name: "import products",
    load: async () => (await import("./import-master-data.js")).importProducts,
  },
  { name: "export epcis", load: async () => (await import("./export-epcis.js")).exportEpcis },
  { name: "pos hash-pin", load: async () => (await import("./pos-hash-pin.js")).posHashPin },
  { name: "webhooks list", load: async () => (await import("./webhooks.js")).webhooksList },
  {
    name: "webhooks dead-letters",
    load: async () => (await import("./webhooks.js")).webhooksDeadLetters,
  },
  { name: "webhooks replay", load: async () => (await import("./webhooks.js")).webhooksReplay },
];
