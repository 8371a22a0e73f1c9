export { parseListen } from "@comptoir/firmware-config";
export { createNodeApp, type NodeAppOptions } from "./app.js";
export type { ErrorBody } from "./errors.js";
export { type NodeServer, serveNodeApp } from "./serve.js";
