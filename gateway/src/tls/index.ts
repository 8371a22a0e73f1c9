export * from "./material.js";
export * from "./plan.js";
export * from "./site-ca.js";
