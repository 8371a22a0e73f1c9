import type { Invoice, InvoiceLine } from "@comptoir/contracts";
import type { Problems } from "../file-readers/parse-result.js";
import type { XmlNode } from "../file-readers/xml.js";
import { checkInvoice, type InvoiceFileResult } from "./result.js";
import { checkTotals, toGtin14 } from "./totals.js";
import {
  compact,
  defaultCustomerOf,
  documentType,
  type Party,
  parseXmlInvoice,
  XmlFields,
  type XmlInvoiceOptions,
} from "./xml-common.js";

/**
 * UBL 2.1 Invoice and CreditNote (EN 16931 / Peppol BIS 3 shape) → the
 * contract's Invoice. Paths follow the EN 16931 UBL binding; a credit note
 * has its own root, type code element, line element and quantity element.
 */
export function parseUbl(text: string, options: XmlInvoiceOptions = {}): InvoiceFileResult {
  return parseXmlInvoice(
    text,
    ["Invoice", "CreditNote"],
    "a UBL Invoice or CreditNote document",
    (root, name, problems) => buildUbl(root, name === "CreditNote", options, problems),
  );
}

function party(node: XmlNode | undefined): Party {
  if (!node) return {};
  return compact({
    name:
      node.text("cac:PartyName/cbc:Name") ?? node.text("cac:PartyLegalEntity/cbc:RegistrationName"),
    id: node.text("cac:PartyIdentification/cbc:ID"),
    legalId: node.text("cac:PartyLegalEntity/cbc:CompanyID"),
    vatId: node.text("cac:PartyTaxScheme/cbc:CompanyID"),
  });
}

function buildUbl(
  root: XmlNode,
  credit: boolean,
  options: XmlInvoiceOptions,
  problems: Problems,
): Invoice | undefined {
  const currency = root.text("cbc:DocumentCurrencyCode");
  if (!currency) {
    problems.add(root.pathOf("cbc:DocumentCurrencyCode"), "is required (BT-5)");
    return undefined;
  }
  const fields = new XmlFields(problems, currency);
  const typePath = credit ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode";
  const typeCode = fields.required(root, typePath);
  const type = documentType(typeCode);
  if (typeCode && !type)
    problems.add(
      root.pathOf(typePath),
      `type code ${typeCode} is not an invoice (380) or a credit note (381)`,
    );

  const lineName = credit ? "cac:CreditNoteLine" : "cac:InvoiceLine";
  const quantityName = credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity";
  const lineNodes = root.all(lineName);
  const lines: Partial<InvoiceLine>[] = lineNodes.map((line) => {
    const gtinNode = line.at("cac:Item/cac:StandardItemIdentification/cbc:ID");
    const gtin = gtinNode?.text();
    if (gtin && gtinNode?.attribute("schemeID") !== "0160") {
      problems.add(
        gtinNode?.path ?? line.path,
        `scheme ${gtinNode?.attribute("schemeID") ?? "(none)"} is not GTIN (0160)`,
      );
    }
    return compact({
      id: fields.required(line, "cbc:ID"),
      gtin: gtin ? toGtin14(gtin) : undefined,
      sku: line.text("cac:Item/cac:SellersItemIdentification/cbc:ID"),
      name: line.text("cac:Item/cbc:Name"),
      quantity: fields.quantity(line, quantityName),
      unitCode: line.at(quantityName)?.attribute("unitCode"),
      unitPrice: fields.unitPrice(line, "cac:Price/cbc:PriceAmount", "cac:Price/cbc:BaseQuantity"),
      netAmount: fields.amount(line, "cbc:LineExtensionAmount", true),
      vatRate: fields.percent(line, "cac:Item/cac:ClassifiedTaxCategory/cbc:Percent"),
    });
  });

  const totals = root.one("cac:LegalMonetaryTotal");
  if (!totals) {
    problems.add(root.pathOf("cac:LegalMonetaryTotal"), "is required (BG-22)");
    return undefined;
  }
  // BT-110 is the TaxTotal in the document currency (a second one may be in the accounting currency).
  const taxTotal = root
    .all("cac:TaxTotal")
    .find((node) => (node.at("cbc:TaxAmount")?.attribute("currencyID") ?? currency) === currency);
  const vatTotal = taxTotal ? fields.amount(taxTotal, "cbc:TaxAmount", true) : 0;
  const lineTotal = fields.amount(totals, "cbc:LineExtensionAmount", false);
  const rounding = fields.amount(totals, "cbc:PayableRoundingAmount", false) ?? 0;

  const direction = options.direction ?? "customer";
  const seller = party(root.at("cac:AccountingSupplierParty/cac:Party"));
  const buyer = party(root.at("cac:AccountingCustomerParty/cac:Party"));
  const dueDate = credit
    ? root.text("cac:PaymentMeans/cbc:PaymentDueDate")
    : root.text("cbc:DueDate");
  const candidate = compact({
    number: fields.required(root, "cbc:ID"),
    direction,
    type,
    issueDate: fields.required(root, "cbc:IssueDate"),
    dueDate,
    terms: root.text("cac:PaymentTerms/cbc:Note"),
    currency,
    customer:
      direction === "customer" ? (options.customerOf ?? defaultCustomerOf)(buyer) : undefined,
    supplier: direction === "supplier" ? (seller.id ?? seller.name) : undefined,
    orderRef: root.text("cac:OrderReference/cbc:ID"),
    despatchRef: root.text("cac:DespatchDocumentReference/cbc:ID"),
    precedingInvoice: root.text("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
    lines,
    netTotal: fields.amount(totals, "cbc:TaxExclusiveAmount", true),
    vatTotal,
    grossTotal: fields.amount(totals, "cbc:TaxInclusiveAmount", true),
    prepaid: fields.amount(totals, "cbc:PrepaidAmount", false),
    amountDue: fields.amount(totals, "cbc:PayableAmount", true),
    source: { format: "ubl" as const },
  });
  if (!problems.empty) return undefined;

  const where: Record<string, string> = {
    number: root.pathOf("cbc:ID"),
    issueDate: root.pathOf("cbc:IssueDate"),
    dueDate: root.pathOf(credit ? "cac:PaymentMeans/cbc:PaymentDueDate" : "cbc:DueDate"),
    currency: root.pathOf("cbc:DocumentCurrencyCode"),
    customer: root.pathOf("cac:AccountingCustomerParty/cac:Party/cac:PartyIdentification/cbc:ID"),
    supplier: root.pathOf("cac:AccountingSupplierParty/cac:Party"),
    precedingInvoice: root.pathOf("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"),
    orderRef: root.pathOf("cac:OrderReference/cbc:ID"),
  };
  const lineField: Record<string, string> = {
    id: "cbc:ID",
    gtin: "cac:Item/cac:StandardItemIdentification/cbc:ID",
    sku: "cac:Item/cac:SellersItemIdentification/cbc:ID",
    name: "cac:Item/cbc:Name",
    quantity: quantityName,
    unitPrice: "cac:Price/cbc:PriceAmount",
    netAmount: "cbc:LineExtensionAmount",
  };
  const invoice = checkInvoice(candidate, problems, (path) => {
    const match = /^lines\[(\d+)\]\.?(.*)$/.exec(path);
    if (match) {
      const node = lineNodes[Number(match[1])];
      const field = match[2] ?? "";
      return node ? (lineField[field] ? node.pathOf(lineField[field]) : node.path) : path;
    }
    return where[path] ?? (path ? root.pathOf(path) : root.path);
  });
  if (!invoice) return undefined;
  checkTotals(
    invoice,
    lineTotal,
    rounding,
    {
      lineTotal: totals.pathOf("cbc:LineExtensionAmount"),
      grossTotal: totals.pathOf("cbc:TaxInclusiveAmount"),
      amountDue: totals.pathOf("cbc:PayableAmount"),
    },
    problems,
  );
  return invoice;
}
