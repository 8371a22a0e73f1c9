import {
  ApiCallError,
  DEMO_CURRENCY,
  DEMO_CUSTOMERS,
  DEMO_PRODUCTS,
  type JsonApi,
} from "@comptoir/simulators";

/** Products and customers, created once. */
export async function ensureCatalog(api: JsonApi): Promise<void> {
  for (const product of DEMO_PRODUCTS) {
    await createUnlessExists(api, `/products/${product.sku}`, "/products", {
      sku: product.sku,
      gtin: product.gtin,
      name: product.name,
      unitPrice: { amount: product.unitPrice, currency: DEMO_CURRENCY },
      unitCost: { amount: product.unitCost, currency: DEMO_CURRENCY },
    });
  }
  for (const customer of DEMO_CUSTOMERS) {
    await createUnlessExists(api, `/customers/${customer.id}`, "/customers", {
      id: customer.id,
      name: customer.name,
      creditLimit:
        customer.creditLimit === "unlimited"
          ? "unlimited"
          : { amount: customer.creditLimit, currency: DEMO_CURRENCY },
      paymentTermsDays: customer.paymentTermsDays,
    });
  }
}

async function createUnlessExists(api: JsonApi, item: string, collection: string, body: unknown) {
  try {
    await api.get(item);
  } catch (error) {
    if (!(error instanceof ApiCallError) || error.status !== 404) throw error;
    await api.post(collection, body);
  }
}
