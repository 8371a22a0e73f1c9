export { parseListen } from "@comptoir/firmware-config";
export { createNodeApp, type NodeAppOptions } from "./app.js";
export { terminalTokensPath } from "./auth/paths.js";
export {
  TERMINAL_ROLES,
  type Terminal,
  TerminalNameSchema,
  type TerminalRole,
  TerminalTokens,
} from "./auth/terminal-tokens.js";
export type { ErrorBody } from "./errors.js";
export { CLERK_SESSION_HEADER } from "./routes/pos.js";
export { type NodeServer, serveNodeApp } from "./serve.js";
