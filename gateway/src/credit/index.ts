export * from "./exposure.js";
export * from "./over-limit.js";
export * from "./publisher.js";
export * from "./service.js";
export * from "./snapshots.js";
export * from "./statements.js";
export * from "./synced.js";
