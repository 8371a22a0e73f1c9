/** Real counter and dock nodes and their terminal clients, for tests (`@comptoir/device/node/testing`). */
export * from "./counter.js";
export * from "./dock.js";
export * from "./terminal.js";
