export * from "./accounting-flow.js";
export * from "./counter-flow.js";
export * from "./demo-data.js";
export * from "./http-client.js";
export * from "./live-field.js";
export * from "./pace.js";
export * from "./warehouse-flow.js";
export * from "./world.js";
