/** Test helpers for sync: a broker on an ephemeral port and a verifying, acking gateway stand-in. */
export * from "./broker.js";
export * from "./fixture.js";
export * from "./gateway.js";
export * from "./movement.js";
export * from "./record.js";
