export * from "./signature.js";
export * from "./webhook-receiver.js";
