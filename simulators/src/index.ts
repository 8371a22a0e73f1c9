export * from "./readers/index.js";
export * from "./site/index.js";
