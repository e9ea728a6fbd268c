/**
 * Policy bundles: a bundle signed by `opa build --signing-key` evaluates when its signature verifies
 * against BUNDLE_VERIFICATION_KEY; a bundle signed by another key, or not signed, stops the pipe.
 */
import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { cp, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runGateOn } from "./run-gate.ts";

const POLICY = `package acme.stand_ins

deny contains {"msg": msg, "resource": rc.address, "severity": "LOW"} if {
	some rc in input.resource_changes
	rc.type == "terraform_data"
	msg := sprintf("%s is a stand-in, not a cloud resource", [rc.address])
}
`;

let repo: string;

beforeAll(async () => {
  repo = await mkdtemp(path.join(tmpdir(), "policy-gate-bundles-"));
  await mkdir(path.join(repo, "src"));
  await writeFile(path.join(repo, "src/stand_ins.rego"), POLICY);
  for (const name of ["release", "other"]) {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    await writeFile(path.join(repo, `${name}.pem`), privateKey.export({ type: "pkcs8", format: "pem" }));
    await writeFile(path.join(repo, `${name}.pub.pem`), publicKey.export({ type: "spki", format: "pem" }));
  }
  execFileSync("opa", ["build", "-b", "src", "--signing-key", "release.pem", "-o", "signed.tar.gz"], {
    cwd: repo,
  });
  execFileSync("opa", ["build", "-b", "src", "-o", "unsigned.tar.gz"], { cwd: repo });
  await mkdir(path.join(repo, "plans"));
  await cp(
    path.resolve(import.meta.dirname, "../../../shared/terraform/test/fixtures/terraform-aws-create.json"),
    path.join(repo, "plans/aws.json"),
  );
});

const values = (bundle: string, key: string) => ({
  PLAN_FILES: ["plans/aws.json"],
  BUILT_IN_POLICIES: "false",
  POLICY_BUNDLES: [bundle],
  BUNDLE_VERIFICATION_KEY: key,
});

describe("signed bundles", () => {
  it("evaluates a bundle whose signature verifies", async () => {
    const run = await runGateOn(repo, values("signed.tar.gz", "release.pub.pem"));
    expect(run.policies.map((p) => p.id)).toEqual(["acme.stand_ins.deny"]);
    expect(run.decision.violations.length).toBeGreaterThan(0);
    expect(run.decision.violations[0]?.severity).toBe("LOW");
  });

  it("refuses a bundle signed by another key", async () => {
    await expect(runGateOn(repo, values("signed.tar.gz", "other.pub.pem"))).rejects.toThrow(
      /did not verify:[\s\S]*verification error/,
    );
  });

  it("refuses an unsigned bundle when a key is set", async () => {
    await expect(runGateOn(repo, values("unsigned.tar.gz", "release.pub.pem"))).rejects.toThrow(
      /missing \.signatures\.json/,
    );
  });
});
