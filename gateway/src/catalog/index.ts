export type { CatalogChange } from "./changes.js";
export * from "./errors.js";
export * from "./rules.js";
export * from "./schemas.js";
export * from "./service.js";
