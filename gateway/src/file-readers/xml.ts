import { XMLParser, XMLValidator } from "fast-xml-parser";

/**
 * A thin reading layer over fast-xml-parser for UBL and CII: namespace
 * prefixes are dropped when reading (files use their own prefixes, or a
 * default namespace) and put back, in their conventional form, in the
 * XPaths of problems, so that `/Invoice/cac:InvoiceLine[2]/cbc:InvoicedQuantity`
 * points at the element whatever prefix the sender used. Values stay text:
 * the parser never turns "1.10" into a float.
 */

type Raw = Record<string, unknown>;

export class XmlNode {
  constructor(
    readonly raw: Raw,
    readonly path: string,
  ) {}

  /** Every child named `name` (written with its conventional prefix, e.g. "cbc:ID"). */
  all(name: string): XmlNode[] {
    const local = name.slice(name.indexOf(":") + 1);
    const children = this.raw[local];
    if (!Array.isArray(children)) return [];
    return children.map((child, position) => {
      const raw =
        typeof child === "object" && child !== null ? (child as Raw) : { "#text": String(child) };
      const index = children.length > 1 ? `[${position + 1}]` : "";
      return new XmlNode(raw, `${this.path}/${name}${index}`);
    });
  }

  one(name: string): XmlNode | undefined {
    return this.all(name)[0];
  }

  /** The node down a path of names: "cac:Item/cac:SellersItemIdentification/cbc:ID". */
  at(path: string): XmlNode | undefined {
    if (path === ".") return this;
    let node: XmlNode | undefined = this;
    for (const name of path.split("/")) node = node?.one(name);
    return node;
  }

  /** The trimmed text of the node at `path` (or of this node), undefined when absent or empty. */
  text(path?: string): string | undefined {
    const node = path ? this.at(path) : this;
    const value = node?.raw["#text"];
    const text = value === undefined ? "" : String(value).trim();
    return text === "" ? undefined : text;
  }

  attribute(name: string): string | undefined {
    const value = this.raw[`@_${name}`];
    return value === undefined ? undefined : String(value);
  }

  /** The XPath a missing child would have, for "is required" problems. */
  pathOf(path: string): string {
    if (path === ".") return this.path;
    return `${this.path}/${path}`;
  }
}

export type XmlReadResult =
  | { ok: true; root: XmlNode; rootName: string }
  | { ok: false; line: number; message: string };

/** The prefixes EN 16931 documents conventionally give their roots. */
const ROOT_PREFIX: Record<string, string> = { CrossIndustryInvoice: "rsm:" };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  alwaysCreateTextNode: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  processEntities: true,
});

/** Parses an XML document; a malformed one gives its first error with the line. */
export function readXml(text: string): XmlReadResult {
  // EN 16931 documents never need a DTD; refusing one rules out entity-expansion tricks.
  const doctype = /<!DOCTYPE/i.exec(text);
  if (doctype) {
    const line = text.slice(0, doctype.index).split("\n").length;
    return { ok: false, line, message: "a DOCTYPE is not allowed in an invoice file: remove it" };
  }
  const check = XMLValidator.validate(text);
  if (check !== true) return { ok: false, line: check.err.line, message: check.err.msg };
  const document = parser.parse(text) as Raw;
  for (const [name, value] of Object.entries(document)) {
    if (name.startsWith("?") || !Array.isArray(value)) continue;
    const raw = value[0];
    if (typeof raw === "object" && raw !== null) {
      return {
        ok: true,
        root: new XmlNode(raw as Raw, `/${ROOT_PREFIX[name] ?? ""}${name}`),
        rootName: name,
      };
    }
  }
  return { ok: false, line: 1, message: "no root element" };
}
