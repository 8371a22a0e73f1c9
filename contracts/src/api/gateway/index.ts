/** The gateway's HTTP and live-feed response shapes that the dashboard reads. */
export * from "./catalog.js";
export * from "./credit.js";
export * from "./live.js";
export * from "./nodes.js";
export * from "./receivables.js";
export * from "./stock.js";
