import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import path from "node:path";
import { InputError } from "@pipes/core";
import { describe, expect, it } from "vitest";
import {
  checkSignedCommits,
  type SignedCommitsSettings,
  signedCommitsSettings,
} from "../../src/zero-trust/signed-commits.ts";
import {
  allowedGpgKeys,
  allowedSigners,
  isolatedEnv,
  quietLogger,
  TestRepository,
  useSigningKeys,
} from "./signing-fixture.ts";

const keys = useSigningKeys();

function settings(
  repo: TestRepository,
  overrides: Partial<SignedCommitsSettings> = {},
): SignedCommitsSettings {
  return {
    mode: "enforce",
    range: { kind: "pull-request", destinationBranch: "main" },
    allowedSigners: allowedSigners(keys),
    gpgPublicKeys: allowedGpgKeys(keys),
    cloneDir: repo.dir,
    ...overrides,
  };
}

/** main, then a pull request branch; main moves on after the branch left it. */
function pullRequest(): TestRepository {
  const repo = new TestRepository(keys);
  repo.git("checkout", "--quiet", "-b", "feature/vpc");
  repo.git("checkout", "--quiet", "main");
  repo.commit("Hotfix straight on main", "unsigned");
  repo.publish("main");
  repo.git("checkout", "--quiet", "feature/vpc");
  return repo;
}

describe("signed commits of a pull request", () => {
  it("passes when every commit is signed by an allowed GPG or SSH signer", async () => {
    const repo = pullRequest();
    repo.commit("Add the VPC", { gpg: keys.alice });
    repo.commit("Add subnets", { ssh: keys.bob });
    const check = await checkSignedCommits(settings(repo), quietLogger());
    expect(check).toEqual({
      name: "signed-commits",
      status: "pass",
      message: expect.stringMatching(
        /^Checked 2 commits of the pull request \(since main, [0-9a-f]{7}\.\.HEAD\): all signed by an allowed signer$/,
      ),
      details: [],
    });
  });

  it("fails each commit that is not signed by an allowed signer, saying which and why", async () => {
    const repo = pullRequest();
    repo.commit("Add the VPC", { gpg: keys.alice });
    repo.commit("Add subnets", { ssh: keys.bob });
    const unsigned = repo.commit("Fix a typo", "unsigned");
    const mallory = repo.commit("Open the security group", { gpg: keys.mallory });
    const eve = repo.commit("Add a NAT gateway", { ssh: keys.eve });
    const tampered = repo.tamper(
      repo.commit("Tag resources", { gpg: keys.alice }),
      "Tag resources and open port 22",
    );
    const olga = repo.commit("Rotate keys", { gpg: keys.olga, program: keys.gpgIn2020 });
    const oldie = repo.commit("Bump the provider", { ssh: keys.oldie });
    const short = (sha: string) => repo.git("rev-parse", "--short", sha);
    const aliceKey = keys.alice.fingerprint.slice(-16);
    const fingerprint = (file: string) =>
      execFileSync("ssh-keygen", ["-lf", file], { encoding: "utf8" }).split(" ")[1] ?? "";

    const check = await checkSignedCommits(settings(repo), quietLogger());

    expect(check.status).toBe("fail");
    expect(check.message).toMatch(
      /^6 of 8 commits of the pull request \(since main, [0-9a-f]{7}\.\.HEAD\) are not signed by an allowed signer$/,
    );
    expect(check.details).toEqual([
      `${short(oldie)} "Bump the provider" by oldie <oldie@example.com>: expired key: SSH key ${fingerprint(keys.oldie.publicKeyFile)} (oldie@example.com) is allowed only before 2020-01-01`,
      `${short(olga)} "Rotate keys" by Olga Expired <olga@example.com>: expired key: GPG key ${keys.olga.fingerprint.slice(-16)} (Olga Expired <olga@example.com>) has expired`,
      `${short(tampered)} "Tag resources and open port 22" by Alice Allowed <alice@example.com>: bad signature: the commit does not match what key ${aliceKey} (Alice Allowed <alice@example.com>) signed`,
      `${short(eve)} "Add a NAT gateway" by eve <eve@example.com>: unknown signer: SSH key ${fingerprint(keys.eve.publicKeyFile)} is not in the allowed signers`,
      `${short(mallory)} "Open the security group" by Mallory Unknown <mallory@example.com>: unknown signer: GPG key ${keys.mallory.fingerprint.slice(-16)} is not an allowed key`,
      `${short(unsigned)} "Fix a typo" by Dana Developer <dana@example.com>: unsigned`,
    ]);
  });

  it("only warns in warn mode", async () => {
    const repo = pullRequest();
    repo.commit("Fix a typo", "unsigned");
    const check = await checkSignedCommits(settings(repo, { mode: "warn" }), quietLogger());
    expect(check.status).toBe("warn");
    expect(check.details).toHaveLength(1);
  });

  it("checks nothing in off mode", async () => {
    const check = await checkSignedCommits(settings(pullRequest(), { mode: "off" }), quietLogger());
    expect(check).toEqual({
      name: "signed-commits",
      status: "skipped",
      message: "Commit signatures are not checked (SIGNED_COMMITS is off)",
      details: [],
    });
  });

  it("reads an allowed signers file of the repository from the destination branch, so a pull request cannot allow itself", async () => {
    const repo = new TestRepository(keys);
    repo.commit(
      "Allow Bob",
      "unsigned",
      ".signers/allowed_signers",
      `${keys.bob.email} ${keys.bob.publicKey}\n`,
    );
    repo.publish("main");
    repo.git("checkout", "--quiet", "-b", "feature/eve");
    repo.commit(
      "Allow Eve too",
      { ssh: keys.eve },
      ".signers/allowed_signers",
      `${keys.bob.email} ${keys.bob.publicKey}\n${keys.eve.email} ${keys.eve.publicKey}\n`,
    );
    const check = await checkSignedCommits(
      settings(repo, { allowedSigners: ".signers/allowed_signers", gpgPublicKeys: undefined }),
      quietLogger(),
    );
    expect(check.status).toBe("fail");
    expect(check.details).toEqual([
      expect.stringContaining('"Allow Eve too" by eve <eve@example.com>: unknown signer: SSH key'),
    ]);
  });

  it("fetches the destination branch when the clone has only the pull request's branch", async () => {
    const origin = pullRequest();
    origin.commit("Add subnets", { ssh: keys.bob });
    const cloneDir = mkdtempSync(path.join(keys.root, "clone-"));
    execFileSync(
      "git",
      ["clone", "--quiet", "--branch", "feature/vpc", "--single-branch", origin.dir, cloneDir],
      {
        env: isolatedEnv(keys.root),
      },
    );
    expect(execFileSync("git", ["branch", "--remotes"], { cwd: cloneDir, encoding: "utf8" })).not.toContain(
      "origin/main",
    );
    const check = await checkSignedCommits({ ...settings(origin), cloneDir }, quietLogger());
    expect(check.status).toBe("pass");
    expect(check.message).toMatch(
      /^Checked 1 commit of the pull request \(since main, [0-9a-f]{7}\.\.HEAD\): signed by an allowed signer$/,
    );
  });

  it("refuses to enforce signatures when no signer is allowed", async () => {
    const error = await checkSignedCommits(
      settings(pullRequest(), { allowedSigners: undefined, gpgPublicKeys: undefined }),
      quietLogger(),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ message: "SIGNED_COMMITS is enforce, but no signer is allowed" });
  });
});

describe("signed commits of a push", () => {
  it("checks the commits of a branch that are not on the main branch", async () => {
    const repo = pullRequest();
    repo.commit("Add the VPC", { gpg: keys.alice });
    const check = await checkSignedCommits(
      settings(repo, { range: { kind: "push", branch: "feature/vpc", defaultBranch: "main" } }),
      quietLogger(),
    );
    expect(check).toMatchObject({
      status: "pass",
      message: "Checked 1 commit of feature/vpc (commits not on main): signed by an allowed signer",
    });
  });

  it("checks the pushed tip on the main branch itself", async () => {
    const repo = new TestRepository(keys);
    repo.commit("Merge the VPC", { ssh: keys.eve });
    repo.publish("main");
    const check = await checkSignedCommits(
      settings(repo, { range: { kind: "push", branch: "main", defaultBranch: "main" } }),
      quietLogger(),
    );
    expect(check).toMatchObject({
      status: "fail",
      message: "1 of 1 commit of the pushed tip of main is not signed by an allowed signer",
    });
  });

  it("checks the range given in COMMIT_RANGE", async () => {
    const repo = new TestRepository(keys);
    const from = repo.commit("Add the VPC", { gpg: keys.alice });
    repo.commit("Add subnets", "unsigned");
    const check = await checkSignedCommits(
      settings(repo, { range: { kind: "explicit", range: `${from}..HEAD` } }),
      quietLogger(),
    );
    expect(check.details).toEqual([
      expect.stringMatching(/"Add subnets" by Dana Developer <dana@example.com>: unsigned$/),
    ]);
  });
});

describe("settings of the signed-commit check", () => {
  const context = { cloneDir: "/clone", branch: "feature/vpc", prDestinationBranch: undefined };

  it("is off unless SIGNED_COMMITS says otherwise", () => {
    expect(signedCommitsSettings({}, context).mode).toBe("off");
  });

  it.each([
    [
      { COMMIT_RANGE: "a..b" },
      { ...context, prDestinationBranch: "main" },
      { kind: "explicit", range: "a..b" },
    ],
    [
      {},
      { ...context, prDestinationBranch: "develop" },
      { kind: "pull-request", destinationBranch: "develop" },
    ],
    [{}, context, { kind: "push", branch: "feature/vpc", defaultBranch: "main" }],
  ])("takes the range from %o with %o", (variables, stepContext, range) => {
    expect(signedCommitsSettings({ SIGNED_COMMITS: "enforce", ...variables }, stepContext).range).toEqual(
      range,
    );
  });
});
