/** Helpers for tests across the parts: valid chains to tamper with. Not for production code. */

export * from "./credit/shared-examples.js";
export * from "./ledger/chain-fixture.js";
export * from "./mqtt/batch-fixture.js";
