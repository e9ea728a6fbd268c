/** The real Infracost outputs of ../shared/fixtures/infracost (origins in its SOURCES.md). */
import path from "node:path";
import { fileURLToPath } from "node:url";

export const INFRACOST_FIXTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../shared/fixtures/infracost",
);

export const fixture = (name: string): string => path.join(INFRACOST_FIXTURES, name);
