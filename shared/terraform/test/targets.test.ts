import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_TARGETS_CONFIG, parseTargetsConfig, selectTargets } from "../src/targets.ts";

const EXAMPLE = path.resolve(
  import.meta.dirname,
  "../../../examples/infrastructure/live/multicloud-plan.yml",
);

const names = (selection: { targets: { name: string }[] }) => selection.targets.map((t) => t.name);

describe("the default map", () => {
  it.each([
    [{ branch: "main" }, ["aws-production"]],
    [{ branch: "release/2026.12" }, ["aws-staging"]],
    [{ branch: "feature/login" }, ["azure-dev", "gcp-dev"]],
    [{ branch: "fix-typo" }, ["azure-dev", "gcp-dev"]],
  ])("%j plans %j", (ref, expected) => {
    expect(names(selectTargets(DEFAULT_TARGETS_CONFIG, ref))).toEqual(expected);
  });

  it("gives each target its provider, environment and workspace", () => {
    const [target] = selectTargets(DEFAULT_TARGETS_CONFIG, { branch: "main" }).targets;
    expect(target).toMatchObject({
      provider: "aws",
      environment: "production",
      workspace: "production",
      directory: "live/aws",
    });
  });

  it("lists every pattern when nothing matches", () => {
    expect(() => selectTargets(DEFAULT_TARGETS_CONFIG, { tag: "v1.0.0" })).toThrow(
      'no rule of the default map matches tag "v1.0.0"; the rules are: [branches main], [branches release/*], [branches **]',
    );
  });
});

describe("a targets file", () => {
  it("maps the example repository's branches, tags and PR destinations", async () => {
    const config = parseTargetsConfig(await readFile(EXAMPLE, "utf8"), "multicloud-plan.yml", [
      "guard",
      "validation",
    ]);
    expect(names(selectTargets(config, { tag: "v2.1.0" }))).toEqual(["aws-production"]);
    expect(names(selectTargets(config, { branch: "release/1.4" }))).toEqual(["aws-staging"]);
    const production = selectTargets(config, { branch: "main" }).targets[0];
    expect(production).toMatchObject({
      varFiles: ["production.tfvars"],
      backendConfig: ["workspace_dir=../.terraform-state"],
    });
  });

  it("matches a pull request by its destination, and needs every kind of pattern a rule gives", () => {
    const config = parseTargetsConfig(
      `targets:
  prod: { provider: aws, environment: production, directory: aws }
  dev: { provider: gcp, environment: dev, directory: gcp }
rules:
  - branches: "hotfix/*"
    pr_destinations: main
    targets: [prod]
  - pr_destinations: [main, "release/*"]
    targets: [prod, dev]
`,
      "t.yml",
    );
    expect(names(selectTargets(config, { branch: "hotfix/x", prDestinationBranch: "main" }))).toEqual([
      "prod",
    ]);
    expect(names(selectTargets(config, { branch: "feature/y", prDestinationBranch: "release/3" }))).toEqual([
      "prod",
      "dev",
    ]);
    expect(() => selectTargets(config, { branch: "hotfix/x" }, { source: "t.yml" })).toThrow(
      /no rule of t\.yml matches branch "hotfix\/x"; the rules are: \[branches hotfix\/\* and PR destinations main\], \[PR destinations main, release\/\*\]/,
    );
  });

  it("narrows to the targets named by a variable, and refuses unknown names", () => {
    expect(names(selectTargets(DEFAULT_TARGETS_CONFIG, { branch: "dev" }, { only: ["gcp-dev"] }))).toEqual([
      "gcp-dev",
    ]);
    expect(() => selectTargets(DEFAULT_TARGETS_CONFIG, { branch: "dev" }, { only: ["gcp-prod"] })).toThrow(
      /TARGETS names "gcp-prod"/,
    );
  });

  it.each([
    ["rules: []\ntargets: {}", /rules: Too small/],
    [
      "targets:\n  a: { provider: oci, environment: dev, directory: a }\nrules: [{ branches: main, targets: [a] }]",
      /targets\.a\.provider/,
    ],
    [
      "targets:\n  a: { provider: aws, environment: dev, directory: a }\nrules: [{ branches: main, targets: [b] }]",
      /rules\.0 names target "b"/,
    ],
    [
      "targets:\n  a: { provider: aws, environment: dev, directory: a }\nrules: [{ targets: [a] }]",
      /needs branches, tags or pr_destinations/,
    ],
    ["targets: [", /not valid YAML/],
    [
      "targets:\n  a: { provider: aws, environment: dev, directory: a }\nrules: [{ branches: main, targets: [a] }]\nguard: {}",
      /Unrecognized key: "guard"/,
    ],
  ])("refuses %j, naming the file and the field", (text, message) => {
    expect(() => parseTargetsConfig(text, "bad.yml")).toThrow(/bad\.yml/);
    expect(() => parseTargetsConfig(text, "bad.yml")).toThrow(message);
  });
});
