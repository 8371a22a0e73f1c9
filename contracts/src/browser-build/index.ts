/**
 * `@comptoir/contracts/browser-build`: browser code (TypeScript in a
 * package's `browser` folders) bundled into the assets a server sends, at
 * start or from the dist build. Server-side only.
 */
export * from "./embedded.js";
export { cacheDir, loadBrowserBundle, projectRoot } from "./load.js";
export * from "./shell.js";
export * from "./types.js";
