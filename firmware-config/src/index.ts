export * from "./common.js";
export * from "./env-overrides.js";
export * from "./gateway.js";
export * from "./gateway-analytics.js";
export * from "./json-schema.js";
export * from "./load.js";
export * from "./node.js";
export * from "./paths.js";
