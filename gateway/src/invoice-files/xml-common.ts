import { type Invoice, TopicIdSchema } from "@comptoir/contracts";
import { amountToMinor, readQuantity, unitPriceToMinor } from "../file-readers/decimal.js";
import { Problems } from "../file-readers/parse-result.js";
import { readXml, type XmlNode } from "../file-readers/xml.js";
import { type InvoiceFileResult, notesFor } from "./result.js";

/** A trading party as UBL and CII both describe it (BT-27..31, BT-44..48). */
export interface Party {
  name?: string;
  id?: string;
  legalId?: string;
  vatId?: string;
}

export interface XmlInvoiceOptions {
  /** Whose invoices these are: customer invoices (we sell, the default) or supplier invoices (we buy). */
  direction?: Invoice["direction"];
  /**
   * Our customer id for a buyer party; by default the buyer's identifier
   * (BT-46), else its legal id. The import route looks names up in the catalog.
   */
  customerOf?: (buyer: Party) => string | undefined;
}

export function defaultCustomerOf(buyer: Party): string | undefined {
  for (const candidate of [buyer.id, buyer.legalId, buyer.name]) {
    if (candidate && TopicIdSchema.safeParse(candidate).success) return candidate;
  }
  return buyer.id ?? buyer.legalId;
}

/** Reads typed values out of XML nodes, recording each problem at its XPath. */
export class XmlFields {
  constructor(
    private readonly problems: Problems,
    private readonly currency: string,
  ) {}

  required(node: XmlNode, path: string): string | undefined {
    const value = node.text(path);
    if (value === undefined) this.problems.add(node.pathOf(path), "is required");
    return value;
  }

  amount(node: XmlNode, path: string, required: boolean): number | undefined {
    const text = required ? this.required(node, path) : node.text(path);
    if (text === undefined) return undefined;
    const result = amountToMinor(text, this.currency);
    if (result.ok) return result.minor;
    this.problems.add(node.at(path)?.path ?? node.pathOf(path), result.message);
    return undefined;
  }

  unitPrice(node: XmlNode, pricePath: string, basePath: string): number | undefined {
    const price = this.required(node, pricePath);
    if (price === undefined) return undefined;
    const result = unitPriceToMinor(price, node.text(basePath), this.currency);
    if (result.ok) return result.minor;
    this.problems.add(node.at(pricePath)?.path ?? node.pathOf(pricePath), result.message);
    return undefined;
  }

  quantity(node: XmlNode, path: string): number | undefined {
    const text = this.required(node, path);
    if (text === undefined) return undefined;
    const quantity = readQuantity(text);
    if (quantity === undefined)
      this.problems.add(
        node.at(path)?.path ?? node.pathOf(path),
        `"${text}" is not a decimal quantity`,
      );
    return quantity;
  }

  percent(node: XmlNode, path: string): number | undefined {
    const text = node.text(path);
    if (text === undefined) return undefined;
    const value = readQuantity(text);
    if (value === undefined)
      this.problems.add(node.at(path)?.path ?? node.pathOf(path), `"${text}" is not a percentage`);
    return value;
  }
}

/** Drops the keys whose value is undefined, so that optional contract fields stay absent. */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A document type code (BT-3) as the contract's type; other codes are refused. */
export function documentType(code: string | undefined): Invoice["type"] | undefined {
  if (code === "380" || code === "389" || code === "384") return "invoice";
  if (code === "381") return "credit-note";
  return undefined;
}

/**
 * The frame of every XML invoice syntax: the text must be well-formed XML
 * whose root is one of `roots`; then `build` reads the invoice, noting
 * every problem by XPath. One invoice, or every problem at once.
 */
export function parseXmlInvoice(
  text: string,
  roots: readonly string[],
  what: string,
  build: (root: XmlNode, rootName: string, problems: Problems) => Invoice | undefined,
): InvoiceFileResult {
  const read = readXml(text);
  if (!read.ok)
    return {
      ok: false,
      problems: [{ path: `line ${read.line}`, message: `not well-formed XML: ${read.message}` }],
    };
  if (!roots.includes(read.rootName)) {
    return { ok: false, problems: [{ path: read.root.path, message: `is not ${what}` }] };
  }
  const problems = new Problems();
  const invoice = build(read.root, read.rootName, problems);
  if (!invoice || !problems.empty) return { ok: false, problems: problems.list };
  return { ok: true, items: [invoice], notes: notesFor([invoice]) };
}
