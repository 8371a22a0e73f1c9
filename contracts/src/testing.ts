/** Helpers for tests across the parts: valid chains to tamper with. Not for production code. */
export * from "./ledger/chain-fixture.js";
