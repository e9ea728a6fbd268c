import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["shared/*/test/**/*.test.ts", "pipes/*/test/**/*.test.ts", "test/release/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "**/node_modules/**"],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["shared/*/test/**/*.integration.test.ts", "pipes/*/test/**/*.integration.test.ts"],
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: "container",
          include: ["test/container/**/*.test.ts"],
          testTimeout: 900_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
