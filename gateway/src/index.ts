export * from "./broker/index.js";
export * from "./bus/index.js";
export * from "./gateway.js";
export * from "./http/index.js";
export * from "./ingest/ingest.js";
export * from "./ingest/mqtt-ingest.js";
export * from "./ledger/gateway-ledger.js";
export * from "./store/store.js";
