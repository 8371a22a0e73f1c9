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
 * UN/CEFACT CII (the XML inside Factur-X and ZUGFeRD 2.x) → the contract's
 * Invoice. The profile comes from the guideline id (BT-24); MINIMUM and
 * BASIC WL carry no lines, so their invoices count for receivables but
 * cannot be matched against goods (a note says so).
 */
export function parseCii(text: string, options: XmlInvoiceOptions = {}): InvoiceFileResult {
  return parseXmlInvoice(
    text,
    ["CrossIndustryInvoice"],
    "a CII CrossIndustryInvoice document",
    (root, _name, problems) => buildCii(root, options, problems),
  );
}

/** The Factur-X / ZUGFeRD profile named by a guideline id (BT-24). */
export function ciiProfile(guideline: string | undefined): string | undefined {
  if (!guideline) return undefined;
  const id = guideline.toLowerCase();
  if (id.includes("minimum")) return "MINIMUM";
  if (id.includes("basicwl")) return "BASIC WL";
  if (id.includes("extended")) return "EXTENDED";
  if (id.includes("xrechnung")) return "XRECHNUNG";
  if (id.includes(":basic")) return "BASIC";
  if (id.startsWith("urn:cen.eu:en16931:2017")) return "EN 16931";
  return guideline;
}

const NO_LINES = new Set(["MINIMUM", "BASIC WL"]);

/** CII dates are `<udt:DateTimeString format="102">20260302</…>`: YYYYMMDD. */
function ciiDate(node: XmlNode | undefined, problems: Problems): string | undefined {
  const value = node?.one("udt:DateTimeString");
  const text = value?.text();
  if (!value || !text) return undefined;
  const format = value.attribute("format");
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (format !== "102" || !match) {
    problems.add(
      value.path,
      `"${text}" (format ${format ?? "none"}) is not a date in format 102 (YYYYMMDD)`,
    );
    return undefined;
  }
  return `${match[1]}-${match[2]}-${match[3]}`;
}

function party(node: XmlNode | undefined): Party {
  if (!node) return {};
  return compact({
    name: node.text("ram:Name"),
    id: node.text("ram:ID") ?? node.text("ram:GlobalID"),
    legalId: node.text("ram:SpecifiedLegalOrganization/ram:ID"),
    vatId: node
      .all("ram:SpecifiedTaxRegistration")
      .find((tax) => tax.at("ram:ID")?.attribute("schemeID") === "VA")
      ?.text("ram:ID"),
  });
}

function buildCii(
  root: XmlNode,
  options: XmlInvoiceOptions,
  problems: Problems,
): Invoice | undefined {
  const document = root.one("rsm:ExchangedDocument");
  const transaction = root.one("rsm:SupplyChainTradeTransaction");
  const settlement = transaction?.one("ram:ApplicableHeaderTradeSettlement");
  if (!document || !transaction || !settlement) {
    if (!document) problems.add(root.pathOf("rsm:ExchangedDocument"), "is required");
    if (!transaction) problems.add(root.pathOf("rsm:SupplyChainTradeTransaction"), "is required");
    else if (!settlement)
      problems.add(transaction.pathOf("ram:ApplicableHeaderTradeSettlement"), "is required");
    return undefined;
  }
  const currency = settlement.text("ram:InvoiceCurrencyCode");
  if (!currency) {
    problems.add(settlement.pathOf("ram:InvoiceCurrencyCode"), "is required (BT-5)");
    return undefined;
  }
  const profile = ciiProfile(
    root.text("rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"),
  );
  const fields = new XmlFields(problems, currency);
  const typeCode = fields.required(document, "ram:TypeCode");
  const type = documentType(typeCode);
  if (typeCode && !type)
    problems.add(
      document.pathOf("ram:TypeCode"),
      `type code ${typeCode} is not an invoice (380) or a credit note (381)`,
    );
  const issueDate = ciiDate(document.one("ram:IssueDateTime"), problems);
  if (!document.one("ram:IssueDateTime"))
    problems.add(document.pathOf("ram:IssueDateTime"), "is required (BT-2)");

  const lineNodes = transaction.all("ram:IncludedSupplyChainTradeLineItem");
  if (profile && NO_LINES.has(profile) && lineNodes.length > 0) {
    problems.add(
      lineNodes[0]?.path ?? transaction.path,
      `profile ${profile} has no invoice lines; declare BASIC or EN 16931 to send lines`,
    );
  }
  const lines: Partial<InvoiceLine>[] = lineNodes.map((line) => {
    const gtinNode = line.at("ram:SpecifiedTradeProduct/ram:GlobalID");
    const gtin = gtinNode?.text();
    if (gtin && gtinNode?.attribute("schemeID") !== "0160") {
      problems.add(
        gtinNode?.path ?? line.path,
        `scheme ${gtinNode?.attribute("schemeID") ?? "(none)"} is not GTIN (0160)`,
      );
    }
    const agreement = "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice";
    return compact({
      id: fields.required(line, "ram:AssociatedDocumentLineDocument/ram:LineID"),
      gtin: gtin ? toGtin14(gtin) : undefined,
      sku: line.text("ram:SpecifiedTradeProduct/ram:SellerAssignedID"),
      name: line.text("ram:SpecifiedTradeProduct/ram:Name"),
      quantity: fields.quantity(line, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity"),
      unitCode: line.at("ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")?.attribute("unitCode"),
      unitPrice: fields.unitPrice(
        line,
        `${agreement}/ram:ChargeAmount`,
        `${agreement}/ram:BasisQuantity`,
      ),
      netAmount: fields.amount(
        line,
        "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
        true,
      ),
      vatRate: fields.percent(
        line,
        "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent",
      ),
    });
  });

  const totals = settlement.one("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
  if (!totals) {
    problems.add(
      settlement.pathOf("ram:SpecifiedTradeSettlementHeaderMonetarySummation"),
      "is required (BG-22)",
    );
    return undefined;
  }
  const taxNode = totals
    .all("ram:TaxTotalAmount")
    .find((node) => (node.attribute("currencyID") ?? currency) === currency);
  const vatTotal = taxNode ? fields.amount(taxNode, ".", true) : 0;
  const lineTotal = fields.amount(totals, "ram:LineTotalAmount", false);
  const rounding = fields.amount(totals, "ram:RoundingAmount", false) ?? 0;

  // Split terms (EXTENDED): several payment terms, each a due date and a partial amount.
  const terms = settlement.all("ram:SpecifiedTradePaymentTerms");
  const instalments = terms
    .filter((term) => term.one("ram:PartialPaymentAmount"))
    .map((term) =>
      compact({
        dueDate: ciiDate(term.one("ram:DueDateDateTime"), problems),
        amount: fields.amount(term, "ram:PartialPaymentAmount", true),
      }),
    );
  const agreement = transaction.one("ram:ApplicableHeaderTradeAgreement");
  const direction = options.direction ?? "customer";
  const seller = party(agreement?.one("ram:SellerTradeParty"));
  const buyer = party(agreement?.one("ram:BuyerTradeParty"));
  const candidate = compact({
    number: fields.required(document, "ram:ID"),
    direction,
    type,
    issueDate,
    dueDate: ciiDate(terms[0]?.one("ram:DueDateDateTime"), problems),
    terms: terms[0]?.text("ram:Description"),
    currency,
    customer:
      direction === "customer" ? (options.customerOf ?? defaultCustomerOf)(buyer) : undefined,
    supplier: direction === "supplier" ? (seller.id ?? seller.name) : undefined,
    orderRef: agreement?.text("ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID"),
    despatchRef: transaction.text(
      "ram:ApplicableHeaderTradeDelivery/ram:DespatchAdviceReferencedDocument/ram:IssuerAssignedID",
    ),
    // BT-25 lives under the settlement (not the agreement: that was a real bug in some writers).
    precedingInvoice: settlement.text("ram:InvoiceReferencedDocument/ram:IssuerAssignedID"),
    lines,
    netTotal: fields.amount(totals, "ram:TaxBasisTotalAmount", true),
    vatTotal,
    grossTotal: fields.amount(totals, "ram:GrandTotalAmount", true),
    prepaid: fields.amount(totals, "ram:TotalPrepaidAmount", false),
    amountDue: fields.amount(totals, "ram:DuePayableAmount", true),
    instalments: instalments.length > 1 ? instalments : undefined,
    source: compact({ format: "cii" as const, profile }),
  });
  if (!problems.empty) return undefined;

  const where: Record<string, string> = {
    number: document.pathOf("ram:ID"),
    issueDate: document.pathOf("ram:IssueDateTime/udt:DateTimeString"),
    currency: settlement.pathOf("ram:InvoiceCurrencyCode"),
    customer: `${transaction.path}/ram:ApplicableHeaderTradeAgreement/ram:BuyerTradeParty/ram:ID`,
    supplier: `${transaction.path}/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty`,
    precedingInvoice: settlement.pathOf("ram:InvoiceReferencedDocument/ram:IssuerAssignedID"),
    instalments: settlement.pathOf("ram:SpecifiedTradePaymentTerms"),
  };
  const lineField: Record<string, string> = {
    id: "ram:AssociatedDocumentLineDocument/ram:LineID",
    gtin: "ram:SpecifiedTradeProduct/ram:GlobalID",
    sku: "ram:SpecifiedTradeProduct/ram:SellerAssignedID",
    quantity: "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity",
    netAmount:
      "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount",
  };
  const invoice = checkInvoice(candidate, problems, (path) => {
    const match = /^lines\[(\d+)\]\.?(.*)$/.exec(path);
    if (match) {
      const node = lineNodes[Number(match[1])];
      const field = match[2] ?? "";
      return node ? (lineField[field] ? node.pathOf(lineField[field]) : node.path) : path;
    }
    return where[path.split(/[.[]/)[0] ?? ""] ?? (path ? root.pathOf(path) : root.path);
  });
  if (!invoice) return undefined;
  checkTotals(
    invoice,
    lineTotal,
    rounding,
    {
      lineTotal: totals.pathOf("ram:LineTotalAmount"),
      grossTotal: totals.pathOf("ram:GrandTotalAmount"),
      amountDue: totals.pathOf("ram:DuePayableAmount"),
    },
    problems,
  );
  return invoice;
}
