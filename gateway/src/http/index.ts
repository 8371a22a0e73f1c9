export * from "../auth/tokens.js";
export * from "./app.js";
export type { BrokerState, GatewayHttpDeps } from "./context.js";
export * from "./roles.js";
export * from "./serve.js";
export * from "./ws.js";
