import { describe, expect, it } from "vitest";
import { bitbucketContext } from "../src/context.ts";

describe("Bitbucket step context", () => {
  it("gives a typed view of the BITBUCKET_* variables of a PR step", () => {
    const context = bitbucketContext({
      CI: "true",
      BITBUCKET_WORKSPACE: "acme",
      BITBUCKET_REPO_SLUG: "infra",
      BITBUCKET_REPO_UUID: "{6b0b5c7e-0000-4000-8000-000000000001}",
      BITBUCKET_COMMIT: "a".repeat(40),
      BITBUCKET_BRANCH: "feature/x",
      BITBUCKET_PR_ID: "42",
      BITBUCKET_PR_DESTINATION_BRANCH: "main",
      BITBUCKET_BUILD_NUMBER: "7",
      BITBUCKET_CLONE_DIR: "/opt/atlassian/pipelines/agent/build",
      BITBUCKET_PIPE_SHARED_STORAGE_DIR:
        "/opt/atlassian/pipelines/agent/build/.bitbucket/pipelines/generated/pipeline/pipes",
      BITBUCKET_DEPLOYMENT_ENVIRONMENT: "production",
      BITBUCKET_STEP_OIDC_TOKEN: "eyJ...",
    });
    expect(context).toMatchObject({
      ci: true,
      workspace: "acme",
      repoFullName: "acme/infra",
      prId: 42,
      prDestinationBranch: "main",
      buildNumber: 7,
      cloneDir: "/opt/atlassian/pipelines/agent/build",
      deploymentEnvironment: "production",
      oidcToken: "eyJ...",
      tag: undefined,
    });
  });

  it("falls back to the working directory outside Pipelines", () => {
    expect(bitbucketContext({}, "/tmp/repo")).toMatchObject({
      ci: false,
      cloneDir: "/tmp/repo",
      prId: undefined,
    });
  });
});
