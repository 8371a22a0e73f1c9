/** Test helpers for other packages' tests (`@comptoir/gateway/testing`); not part of the gateway. */
export * from "../invoice-files/testing/factur-x-pdf.js";
export * from "../invoice-files/testing/fixtures.js";
export * from "../invoice-files/testing/pdf-bomb.js";
export * from "./broker.js";
export * from "./epcis-schema.js";
export * from "./epcis-site.js";
export * from "./gateway-app.js";
export * from "./webhook-receiver.js";
