/**
 * `@comptoir/contracts/browser`: what browser code of every package may import
 * at run time. Browser code may also `import type` from `@comptoir/contracts`
 * (types only: nothing server-side is bundled).
 */
export * from "./checks.js";
export * from "./dom.js";
export * from "./format.js";
export * from "./status.js";
export * from "./text.js";
