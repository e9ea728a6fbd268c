/**
 * Writes each pipe's pipe.yml and the `## Variables` table of its README from its variable schema.
 * `--check` fails (exit 1) when a committed file is out of date: CI runs it.
 *
 *   node scripts/generate-docs.ts [--check]
 */
import { existsSync } from "node:fs";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import {
  describeVariables,
  type PipeMetadata,
  pipeYaml,
  variablesTable,
  withVariablesTable,
} from "@pipes/core";

const root = path.resolve(import.meta.dirname, "..");
const check = process.argv.includes("--check");
const stale: string[] = [];

async function update(file: string, content: string): Promise<void> {
  const current = await readFile(file, "utf8").catch(() => "");
  if (current === content) return;
  if (check) stale.push(path.relative(root, file));
  else await writeFile(file, content);
}

for (const name of (await readdir(path.join(root, "pipes"))).sort()) {
  const dir = path.join(root, "pipes", name);
  // A pipe still being built (no variable schema yet) has no pipe.yml to generate.
  if (!existsSync(path.join(dir, "src/variables.ts"))) continue;
  const pkg = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8"));
  const { variables } = await import(pathToFileURL(path.join(dir, "src/variables.ts")).href);
  const docs = describeVariables(variables);
  const meta: PipeMetadata = {
    name,
    title: pkg.pipe.title,
    description: pkg.description,
    category: pkg.pipe.category,
    version: pkg.version,
    image: pkg.pipe.image,
    repository: pkg.pipe.repository,
    tags: pkg.pipe.tags,
    maintainer: { name: "Platform Engineering", website: pkg.pipe.repository },
  };
  await update(path.join(dir, "pipe.yml"), pipeYaml(meta, docs));
  const readmeFile = path.join(dir, "README.md");
  const readme = await readFile(readmeFile, "utf8").catch(
    () => `# ${meta.title}\n\n${meta.description}\n\n## Variables\n`,
  );
  await update(readmeFile, withVariablesTable(readme, variablesTable(docs)));
}

if (stale.length > 0) {
  console.error(`Generated docs are out of date: ${stale.join(", ")}\nRun: npm run docs`);
  process.exit(1);
}
console.log(check ? "pipe.yml and README variable tables are up to date" : "docs written");
