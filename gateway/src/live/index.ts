export * from "./events.js";
export * from "./ingest-events.js";
