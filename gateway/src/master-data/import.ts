import {
  type Customer,
  type InputProblem,
  type Logger,
  type Product,
  silentLogger,
} from "@comptoir/contracts";
import { CatalogConflictError, CatalogRuleError } from "../catalog/errors.js";
import { gtinsOf } from "../catalog/rules.js";
import type { Stamped } from "../catalog/schemas.js";
import type { Catalog } from "../catalog/service.js";
import type { Actor } from "../ledger/gateway-ledger.js";
import { readCustomerFile } from "./customer-file.js";
import { type FileItem, inFileOrder, type MasterDataFile, type MasterDataFormat } from "./file.js";
import { gtinPath, readProductFile } from "./product-file.js";

/** What an import works on. */
export interface MasterDataDeps {
  catalog: Catalog;
  /** The site's currency: a CSV row without a currency is in it. */
  currency: string;
  logger?: Logger;
}

/** One file to import. */
export interface MasterDataRequest {
  text: string;
  format: MasterDataFormat;
  /** Check everything as for real, list what would be created, updated and left, store nothing. */
  dryRun: boolean;
  /** Who imports it: recorded with each ledger entry. */
  actor: Actor;
  /**
   * Runs last inside the import's transaction, after every row is written
   * (never on a dry run nor for a refused file): a caller's own rows (the
   * file drop's "file imported") commit with the import or not at all.
   */
  within?: (imported: MasterDataImported) => void;
}

/** What an accepted file did (or, on a dry run, would do): the ids of each outcome, in file order. */
export interface MasterDataImported {
  dryRun: boolean;
  /** New ids: created, each a `product.created` / `customer.created` ledger entry. */
  created: string[];
  /** Ids stored before and now replaced, each a `…changed` entry holding what it was before. */
  updated: string[];
  /** Ids given exactly as stored: nothing written, nothing recorded. */
  unchanged: string[];
}

/**
 * A file refused whole, nothing stored: 400 when the file itself is wrong
 * (unreadable, a bad field, a duplicate inside it), 409 when it only
 * conflicts with what is stored (a GTIN of a product the file leaves alone).
 */
export interface MasterDataRefused {
  status: 400 | 409;
  problems: InputProblem[];
}

export type MasterDataOutcome =
  | ({ ok: true } & MasterDataImported)
  | ({ ok: false } & MasterDataRefused);

/** A refused file, thrown by a caller that imports inside a transaction of its own (see importCustomers). */
export class MasterDataRefusedError extends Error implements MasterDataRefused {
  override name = "MasterDataRefusedError";
  readonly status: 400 | 409;
  readonly problems: InputProblem[];
  constructor(refused: MasterDataRefused) {
    const first = refused.problems[0];
    const more =
      refused.problems.length > 1 ? ` (and ${refused.problems.length - 1} more, see problems)` : "";
    super(`${first ? `${first.path}: ${first.message}` : "refused"}${more} — nothing imported`);
    this.status = refused.status;
    this.problems = refused.problems;
  }
}

/**
 * Imports a file of customers (CSV or JSON, see customer-file.ts): every
 * problem listed, or every customer created or replaced. Synchronous, all
 * in ONE SQLite transaction; the credit snapshots of the customers written
 * are published once it commits. Two ways to add rows of your own to that
 * transaction (a watched folder's "file imported"):
 *
 *   // 1. `within` runs last inside the import's own transaction:
 *   const outcome = importCustomers({ catalog, currency }, {
 *     text, format: "csv", dryRun: false, actor: { kind: "system", id: "file-drop" },
 *     within: (imported) => journal.add(file, imported),
 *   });
 *   if (!outcome.ok) writeErrorReport(file, outcome.problems); // nothing was stored
 *
 *   // 2. inside your own transaction: hold the catalog's listeners until it
 *   // commits, and throw on a refusal so that it rolls back.
 *   catalog.hold(() => db.transaction(() => {
 *     const outcome = importCustomers(deps, { text, format, dryRun: false, actor });
 *     if (!outcome.ok) throw new MasterDataRefusedError(outcome);
 *     journal.add(file, outcome);
 *   })());
 *
 * A dry run (`dryRun: true`) reads the store and writes nothing: a file
 * drop can use it to list a file's problems before taking it.
 */
export function importCustomers(
  deps: MasterDataDeps,
  request: MasterDataRequest,
): MasterDataOutcome {
  const file = readCustomerFile(request.text, request.format, { currency: deps.currency });
  return importFile(deps, request, file, {
    kind: "customer",
    idOf: (customer) => customer.id,
    stored: (id) => deps.catalog.customer(id),
    same: sameCustomer,
    conflicts: () => [],
  });
}

/**
 * Imports a file of products (CSV or JSON, see product-file.ts) with their
 * GTINs: every problem listed, or every product created or replaced. Called
 * exactly as importCustomers; the catalog is republished to the nodes once
 * for the whole file, after the commit.
 */
export function importProducts(
  deps: MasterDataDeps,
  request: MasterDataRequest,
): MasterDataOutcome {
  const file = readProductFile(request.text, request.format, { currency: deps.currency });
  return importFile(deps, request, file, {
    kind: "product",
    idOf: (product) => product.sku,
    stored: (sku) => deps.catalog.product(sku),
    same: sameProduct,
    conflicts: (items) => gtinConflicts(deps.catalog, items),
  });
}

interface Kind<T> {
  kind: "product" | "customer";
  idOf(value: T): string;
  stored(id: string): Stamped<T> | undefined;
  same(given: T, stored: Stamped<T>): boolean;
  /** Problems with what is stored (409), for items the file itself has no problem with. */
  conflicts(items: readonly FileItem<T>[]): InputProblem[];
}

function importFile<T extends Product | Customer>(
  deps: MasterDataDeps,
  request: MasterDataRequest,
  file: MasterDataFile<T>,
  kind: Kind<T>,
): MasterDataOutcome {
  const log = (deps.logger ?? silentLogger).child({ module: "master-data" });
  const conflicts = kind.conflicts(file.items);
  if (file.problems.length > 0 || conflicts.length > 0) {
    const problems = inFileOrder([...file.problems, ...conflicts]);
    log.info(
      { kind: kind.kind, problems: problems.length, dryRun: request.dryRun },
      "master-data file refused",
    );
    return { ok: false, status: file.problems.length > 0 ? 400 : 409, problems };
  }
  const imported: MasterDataImported = {
    dryRun: request.dryRun,
    created: [],
    updated: [],
    unchanged: [],
  };
  const changed: T[] = [];
  for (const { value } of file.items) {
    const before = kind.stored(kind.idOf(value));
    const outcome = !before ? "created" : kind.same(value, before) ? "unchanged" : "updated";
    imported[outcome].push(kind.idOf(value));
    if (outcome !== "unchanged") changed.push(value);
  }
  if (!request.dryRun) {
    try {
      deps.catalog.writeBatch(
        kind.kind === "product"
          ? { kind: "product", items: changed as Product[] }
          : { kind: "customer", items: changed as Customer[] },
        request.actor,
        () => request.within?.(imported),
      );
    } catch (error) {
      // The checks above saw the same store a moment ago: a safety net, not a path users take.
      if (!(error instanceof CatalogConflictError || error instanceof CatalogRuleError))
        throw error;
      return { ok: false, status: 409, problems: [{ path: error.path, message: error.message }] };
    }
  }
  log.info(
    {
      kind: kind.kind,
      dryRun: request.dryRun,
      created: imported.created.length,
      updated: imported.updated.length,
      unchanged: imported.unchanged.length,
    },
    request.dryRun ? "master-data file checked" : "master-data file imported",
  );
  return { ok: true, ...imported };
}

/**
 * A GTIN the file gives that a stored product holds, when the file does
 * not change that product (else the file moves it, which is fine).
 */
function gtinConflicts(catalog: Catalog, items: readonly FileItem<Product>[]): InputProblem[] {
  const inFile = new Set(items.map((item) => item.value.sku));
  const problems: InputProblem[] = [];
  for (const item of items) {
    for (const gtin of gtinsOf(item.value)) {
      const holder = catalog.skuOfGtin(gtin);
      if (!holder || holder === item.value.sku || inFile.has(holder)) continue;
      problems.push({
        path: item.locate(gtinPath(item.value, gtin)),
        message: `GTIN ${gtin} already belongs to product ${holder}: leave it out, or move it by giving ${holder} in the same file without it`,
      });
    }
  }
  return problems;
}

function sameProduct(given: Product, stored: Stamped<Product>): boolean {
  const key = (p: Product) =>
    JSON.stringify([
      p.sku,
      p.gtin,
      [...p.gtins].sort(),
      p.name,
      [p.unitPrice.amount, p.unitPrice.currency],
      [p.unitCost.amount, p.unitCost.currency],
      p.category ?? null,
    ]);
  return key(given) === key(stored);
}

function sameCustomer(given: Customer, stored: Stamped<Customer>): boolean {
  const key = (c: Customer) =>
    JSON.stringify([
      c.id,
      c.name,
      c.creditLimit === "unlimited" ? "unlimited" : [c.creditLimit.amount, c.creditLimit.currency],
      c.paymentTermsDays,
    ]);
  return key(given) === key(stored);
}
