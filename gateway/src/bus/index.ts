export * from "./bus.js";
export * from "./embedded.js";
export * from "./external.js";
export * from "./signing.js";
