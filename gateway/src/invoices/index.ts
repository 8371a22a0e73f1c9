export * from "./invoices.js";
