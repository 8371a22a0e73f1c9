export * from "./bus.js";
export * from "./embedded.js";
export * from "./external.js";
