/**
 * The answer-key site's catalog: products with valid GTIN-14 check digits
 * and a 7-digit company prefix (what the simulated SGTIN-96 tags encode),
 * one of them with a second GTIN (a new label), and a GTIN the catalog does
 * not know. Customers with different payment terms, so that the aged
 * balance fills several buckets over a simulated month.
 */

export interface KeyProduct {
  sku: string;
  gtin: string;
  /** Other GTINs of the product. */
  gtins: string[];
  name: string;
  unitPrice: number;
  unitCost: number;
  /** The bay its items are put away in. */
  bay: "bay-1" | "bay-2";
}

export interface KeyCustomer {
  id: string;
  name: string;
  paymentTermsDays: number;
}

export const KEY_CURRENCY = "EUR";
export const KEY_SUPPLIER = "Outillage Martin SA";
export const VAT_RATE = 20;

/** GS1 mod-10 check digit appended to 13 digits. */
function withCheckDigit(digits13: string): string {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(digits13[12 - i]) * (i % 2 === 0 ? 3 : 1);
  return `${digits13}${(10 - (sum % 10)) % 10}`;
}

const gtin = (item: number) => withCheckDigit(`037601234${String(item).padStart(4, "0")}`);

export const KEY_PRODUCTS: readonly KeyProduct[] = [
  {
    sku: "DRL-18V",
    gtin: gtin(1),
    gtins: [gtin(11)],
    name: "Cordless drill 18 V",
    unitPrice: 12900,
    unitCost: 8200,
    bay: "bay-1",
  },
  {
    sku: "SAW-CIRC",
    gtin: gtin(2),
    gtins: [],
    name: "Circular saw 1400 W",
    unitPrice: 15900,
    unitCost: 10400,
    bay: "bay-1",
  },
  {
    sku: "LDR-3M",
    gtin: gtin(3),
    gtins: [],
    name: "Aluminium ladder 3 m",
    unitPrice: 8900,
    unitCost: 5100,
    bay: "bay-2",
  },
  {
    sku: "BOX-SCR",
    gtin: gtin(4),
    gtins: [],
    name: "Screw assortment, 1000 pcs",
    unitPrice: 2490,
    unitCost: 1150,
    bay: "bay-2",
  },
  {
    sku: "GLV-PRO",
    gtin: gtin(5),
    gtins: [],
    name: "Work gloves, pair",
    unitPrice: 990,
    unitCost: 380,
    bay: "bay-2",
  },
];

/** A GTIN no product of the catalog has: its items are an unknown product. */
export const UNKNOWN_GTIN = gtin(99);

export const KEY_CUSTOMERS: readonly KeyCustomer[] = [
  { id: "acme", name: "ACME Hardware", paymentTermsDays: 30 },
  { id: "bistro", name: "Bistro Renov", paymentTermsDays: 7 },
  { id: "chantier", name: "Chantier Dupont", paymentTermsDays: 15 },
  { id: "depot", name: "Depot Sud", paymentTermsDays: 45 },
];

/** A customer that only ever pays on account: its payment stays unapplied. */
export const PREPAYING_CUSTOMER: KeyCustomer = {
  id: "elan",
  name: "Elan Batiment",
  paymentTermsDays: 30,
};

/**
 * A customer with a credit limit (every other one is unlimited): its sales
 * orders are decided against it, held, and released by its payment.
 */
export const LIMITED_CUSTOMER: KeyCustomer & { creditLimit: number } = {
  id: "frugal",
  name: "Frugal Menuiserie",
  paymentTermsDays: 30,
  creditLimit: 10_000,
};
