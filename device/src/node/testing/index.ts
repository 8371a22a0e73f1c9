/** A real counter node and its terminal clients, for tests (`@comptoir/device/node/testing`). */
export * from "./counter.js";
export * from "./terminal.js";
export * from "./dock.js";
