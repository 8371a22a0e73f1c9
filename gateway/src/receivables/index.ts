export * from "./allocations.js";
export * from "./batch.js";
export * from "./changes.js";
export * from "./invoices-named.js";
export * from "./payment-records.js";
export * from "./receivables.js";
export * from "./tables.js";
