export * from "./erp/index.js";
export * from "./readers/index.js";
export * from "./site/index.js";
