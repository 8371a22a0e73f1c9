export * from "./dock.js";
export * from "./errors.js";
export * from "./events.js";
export * from "./pos-requests.js";
export * from "./pos-responses.js";
export * from "./requests.js";
export * from "./responses.js";
