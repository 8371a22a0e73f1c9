#!/usr/bin/env node
// Runs the TypeScript sources directly (development, `npx comptoir`);
// deployments run the bundle that `npm run build` writes to dist/.
import { register } from "tsx/esm/api";

register();
await import("../cli/src/entry.ts");
