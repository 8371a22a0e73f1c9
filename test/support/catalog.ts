/**
 * Registers a product (a case at 15.00, cost 9.00) in a running gateway's
 * catalog, as an administrator would over the API, so that the gateway
 * counts tags of its GTIN under its SKU. Returns the API's answer.
 */
export function postProduct(
  gatewayUrl: string,
  token: string | undefined,
  product: { sku: string; gtin: string; name?: string },
): Promise<Response> {
  return fetch(`${gatewayUrl}/api/v1/products`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      sku: product.sku,
      gtin: product.gtin,
      name: product.name ?? "Case",
      unitPrice: { amount: 1500, currency: "EUR" },
      unitCost: { amount: 900, currency: "EUR" },
    }),
  });
}
