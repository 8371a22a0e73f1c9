export * from "./apply.js";
export * from "./cash-application.js";
export * from "./payments.js";
