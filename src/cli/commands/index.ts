import type { Command } from "../command.js";
import { auditVerify } from "./audit-verify.js";
import { bench } from "./bench.js";
import { demo } from "./demo.js";
import { demoLedger } from "./demo-ledger.js";
import { gatewayRun } from "./gateway-run.js";
import { importInvoices, importPayments } from "./import-invoices.js";
import { nodeInit } from "./node-init.js";
import { nodeRun } from "./node-run.js";
import { posHashPin } from "./pos-hash-pin.js";
import { readerDecode } from "./reader-decode.js";
import { readerWatch } from "./reader-watch.js";
import { simReader } from "./sim-reader.js";
import { simSite } from "./sim-site.js";
import { tokenCreate } from "./token-create.js";
import { tokenRevoke } from "./token-revoke.js";

/** Every `comptoir` subcommand, in the order `comptoir --help` lists them. */
export const commands: Command[] = [
  demo,
  demoLedger,
  gatewayRun,
  nodeRun,
  nodeInit,
  auditVerify,
  bench,
  simReader,
  simSite,
  readerWatch,
  readerDecode,
  tokenCreate,
  tokenRevoke,
  importInvoices,
  importPayments,
  posHashPin,
];
