import { describe, expect, it } from "vitest";
import { stepTokenClaimsSchema } from "../src/claims.ts";
import { claimProblems, type StepTokenExpectations } from "../src/expectations.ts";
import {
  ISSUER,
  PIPELINE_UUID,
  PRODUCTION_UUID,
  REPOSITORY_UUID,
  STEP_UUID,
  stepClaims,
} from "./step-token-fixture.ts";

const claims = (overrides: Record<string, unknown> = {}) =>
  stepTokenClaimsSchema.parse(stepClaims(overrides));
const messages = (expected: Omit<StepTokenExpectations, "issuer">, overrides: Record<string, unknown> = {}) =>
  claimProblems(claims(overrides), { issuer: ISSUER, ...expected }).map((p) => p.message);

describe("claim expectations of a step token", () => {
  it("compares uuids with or without braces, in any case", () => {
    expect(messages({ repositoryUuid: REPOSITORY_UUID.slice(1, -1).toUpperCase() })).toEqual([]);
  });

  it.each([
    ["main", "main", true],
    ["release/*", "release/2.1", true],
    ["release/*", "release/2.1/hotfix", false],
    ["release/**", "release/2.1/hotfix", true],
    ["main", "mainline", false],
  ])("branch pattern %s against %s matches: %s", (pattern, branchName, matches) => {
    expect(messages({ branch: pattern }, { branchName })).toEqual(
      matches ? [] : [`branch "${branchName}" does not match "${pattern}"`],
    );
  });

  it("accepts any of several branch patterns", () => {
    expect(messages({ branch: ["main", "release/*"] }, { branchName: "release/3" })).toEqual([]);
    expect(messages({ branch: ["main", "release/*"] }, { branchName: "dev" })).toEqual([
      'branch "dev" does not match "main" or "release/*"',
    ]);
  });

  it("fails a branch pattern when the token names no branch (tag and custom pipelines)", () => {
    expect(messages({ branch: "main" }, { branchName: undefined })).toEqual([
      'the token names no branch (a tag or custom pipeline), but the branch must match "main"',
    ]);
  });

  it("ties an environment name to the token's uuid through the environment the step reports", () => {
    const step = { name: "production", uuid: PRODUCTION_UUID };
    expect(messages({ deploymentEnvironment: { name: "Production", step } })).toEqual([]);
    expect(messages({ deploymentEnvironment: { name: "staging", step } })).toEqual([
      'the step deploys to "production", not "staging"',
    ]);
    expect(
      messages({
        deploymentEnvironment: { name: "production", step: { name: "production", uuid: "{0000}" } },
      }),
    ).toEqual([
      `the token is for deployment environment ${PRODUCTION_UUID}, not the step's "production" ({0000})`,
    ]);
    expect(messages({ deploymentEnvironment: { name: "production" } })).toEqual([
      `cannot tie the token's deployment environment ${PRODUCTION_UUID} to the name "production": the token carries only the uuid, and the step reports no BITBUCKET_DEPLOYMENT_ENVIRONMENT(_UUID)`,
    ]);
  });

  it("fails a deployment environment uuid of another environment", () => {
    expect(messages({ deploymentEnvironment: { uuid: "{12345678-0000-4000-8000-000000000000}" } })).toEqual([
      `the token is for deployment environment ${PRODUCTION_UUID}, not {12345678-0000-4000-8000-000000000000}`,
    ]);
  });

  it("fails a token issued to another pipeline run or step", () => {
    expect(messages({ pipelineUuid: PIPELINE_UUID, stepUuid: STEP_UUID })).toEqual([]);
    expect(messages({ pipelineUuid: "{1}", stepUuid: "{2}" })).toEqual([
      `the token was issued to pipeline ${PIPELINE_UUID}, not this pipeline {1}`,
      `the token was issued to step ${STEP_UUID}, not this step {2}`,
    ]);
  });
});
