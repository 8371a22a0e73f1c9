import { join } from "node:path";

/**
 * The file drop's folders, under `fileDrop.directory`:
 *
 *   inbound/<kind>/            the ERP drops files here (temp name, then rename)
 *   inbound/<kind>/archive/    each file imported, under its name (a time suffix if taken)
 *   inbound/<kind>/error/      each file refused, with `<file>.errors.txt` beside it
 *   outbound/                  the scheduled exports (written by the outbound side)
 */
/** In the order each scan takes them: master data before the invoices that name it, invoices before payments. */
export const INBOUND_KINDS = ["customers", "products", "invoices", "payments", "orders"] as const;
export type InboundKind = (typeof INBOUND_KINDS)[number];

export const ARCHIVE = "archive";
export const ERROR = "error";

export function inboundDir(root: string, kind: InboundKind): string {
  return join(root, "inbound", kind);
}

/**
 * A name the drop never reads, however old: a dot-file (editors, rsync's
 * `.name.XXXXXX`, macOS `._name`) or a temp name (`*.tmp`, `*.part`, as
 * written by SFTP clients and by an ERP that writes then renames).
 */
export function isTemporaryName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith(".") || lower.endsWith(".tmp") || lower.endsWith(".part");
}
