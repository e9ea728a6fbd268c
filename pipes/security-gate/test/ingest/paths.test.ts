import { describe, expect, it } from "vitest";
import { isOutsideRepository, pathFromUri, repositoryPath } from "../../src/ingest/paths.ts";

const context = { repoRoot: "/opt/atlassian/pipelines/agent/build", baseDir: "." };

describe("repository paths", () => {
  it.each([
    ["main.tf", ".", "main.tf"],
    ["./infra/main.tf", ".", "infra/main.tf"],
    ["main.tf", "infra", "infra/main.tf"],
    ["./main.tf", "./infra/", "infra/main.tf"],
    ["/opt/atlassian/pipelines/agent/build/infra/main.tf", ".", "infra/main.tf"],
    ["/opt/atlassian/pipelines/agent/build/infra/main.tf", "elsewhere", "infra/main.tf"],
    ["infra\\modules\\vpc\\main.tf", ".", "infra/modules/vpc/main.tf"],
    ["infra/../app/handler.py", ".", "app/handler.py"],
    ["/tmp/aws-eks/main.tf", ".", "/tmp/aws-eks/main.tf"],
  ])("%s from %s is %s", (reported, baseDir, expected) => {
    expect(repositoryPath(reported, { ...context, baseDir })).toBe(expected);
  });

  it.each([
    [
      "file:///opt/atlassian/pipelines/agent/build/src/app.py",
      "/opt/atlassian/pipelines/agent/build/src/app.py",
    ],
    ["src/my%20app/main.py", "src/my app/main.py"],
    ["file:src/app.py", "src/app.py"],
    ["src/100%.txt", "src/100%.txt"],
  ])("URI %s is the path %s", (uri, expected) => {
    expect(pathFromUri(uri)).toBe(expected);
  });

  it.each([
    ["/tmp/x.tf", true],
    ["C:/work/x.tf", true],
    ["../x.tf", true],
    ["infra/x.tf", false],
  ])("%s outside the clone: %s", (file, outside) => {
    expect(isOutsideRepository(file)).toBe(outside);
  });
});
