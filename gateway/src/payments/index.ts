export * from "./payments.js";
