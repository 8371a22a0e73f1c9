/**
 * The HTTP kit the node and the gateway share (`@comptoir/contracts/http`): the error
 * shape and its answers, zod validation with the UTF-8 check, the body size and JSON
 * content-type guards, listening with actionable errors, and reading PEM files.
 * Server code only: browser code never imports this subpath.
 */
export * from "./body-limit.js";
export * from "./errors.js";
export * from "./json-body.js";
export * from "./pem.js";
export * from "./serve.js";
export * from "./utf8-body.js";
export * from "./validate.js";
