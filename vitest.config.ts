import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    // The browser bundles, built once before the workers start (each then reads the disk cache).
    globalSetup: ["./scripts/vitest-browser-bundles.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    reporters: ["default", "./scripts/summary-reporter.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
