export * from "./cash-application.js";
export * from "./payment-records.js";
export * from "./receivables.js";
export * from "./tables.js";
