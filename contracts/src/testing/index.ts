/** Helpers for tests across the parts: valid chains to tamper with. Not for production code. */

export * from "../credit/testing/shared-examples.js";
export * from "../ledger/testing/chain.js";
export * from "../mqtt/testing/batch.js";
