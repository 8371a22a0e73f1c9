export { createNodeApp, type NodeAppOptions } from "./app.js";
export type { ErrorBody } from "./errors.js";
export { type NodeServer, parseListen, serveNodeApp } from "./serve.js";
