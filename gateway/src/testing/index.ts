/** Test helpers for other packages' tests (`@comptoir/gateway/testing`); not part of the gateway. */
export * from "./gateway-app.js";
