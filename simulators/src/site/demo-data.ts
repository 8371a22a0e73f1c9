/**
 * The simulated site's catalog and customers: a small hardware wholesaler.
 * GTINs carry valid check digits and a 7-digit company prefix, as the
 * simulated tags encode them (SGTIN-96).
 */
export interface DemoProduct {
  sku: string;
  gtin: string;
  name: string;
  /** Minor units (cents), EUR. */
  unitPrice: number;
  unitCost: number;
}

export interface DemoCustomer {
  id: string;
  name: string;
  /** Minor units, or "unlimited". */
  creditLimit: number | "unlimited";
  paymentTermsDays: number;
}

export const DEMO_CURRENCY = "EUR";

export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  {
    sku: "DRL-18V",
    gtin: "03760123450010",
    name: "Cordless drill 18 V",
    unitPrice: 12900,
    unitCost: 8200,
  },
  {
    sku: "SAW-CIRC",
    gtin: "03760123450027",
    name: "Circular saw 1400 W",
    unitPrice: 15900,
    unitCost: 10400,
  },
  {
    sku: "LDR-3M",
    gtin: "03760123450034",
    name: "Aluminium ladder 3 m",
    unitPrice: 8900,
    unitCost: 5100,
  },
  {
    sku: "BOX-SCR",
    gtin: "03760123450041",
    name: "Screw assortment, 1000 pcs",
    unitPrice: 2490,
    unitCost: 1150,
  },
  {
    sku: "GLV-PRO",
    gtin: "03760123450058",
    name: "Work gloves, pair",
    unitPrice: 990,
    unitCost: 380,
  },
  {
    sku: "LVL-60",
    gtin: "03760123450065",
    name: "Spirit level 60 cm",
    unitPrice: 3490,
    unitCost: 1700,
  },
];

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  { id: "bati-renov", name: "Bati Rénov SARL", creditLimit: 500000, paymentTermsDays: 30 },
  { id: "menuiserie-roux", name: "Menuiserie Roux", creditLimit: 250000, paymentTermsDays: 45 },
  { id: "elec-plus", name: "Élec Plus", creditLimit: 120000, paymentTermsDays: 30 },
  { id: "atelier-moreau", name: "Atelier Moreau", creditLimit: 60000, paymentTermsDays: 30 },
  { id: "mairie-voiron", name: "Mairie de Voiron", creditLimit: "unlimited", paymentTermsDays: 60 },
  { id: "cash-only", name: "Client comptant", creditLimit: 0, paymentTermsDays: 0 },
];
