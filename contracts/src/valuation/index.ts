/** Stock value, margins and movement analytics (issue 16): the views the API answers and the dashboard reads. */
export * from "./alerts.js";
export * from "./analytics.js";
export * from "./margins.js";
export * from "./reorder.js";
export * from "./valuation.js";
