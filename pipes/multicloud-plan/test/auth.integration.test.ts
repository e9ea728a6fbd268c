/**
 * Each target's credentials from the step's OIDC token: AWS through a real AssumeRoleWithWebIdentity
 * on moto's STS (the session then works: GetCallerIdentity is the assumed role), Azure and GCP as the
 * files and environment their Terraform providers read. Nothing secret reaches the log.
 */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { type BitbucketContext, InputError, Logger } from "@pipes/core";
import type { Target } from "@pipes/terraform";
import { type Moto, startMoto } from "@pipes/testkit";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targetCredentials } from "../src/auth.ts";
import type { Variables } from "../src/variables.ts";

function logger(): { log: Logger; text: () => string } {
  let text = "";
  const sink = new PassThrough();
  sink.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  return {
    log: new Logger({ env: { NO_COLOR: "1", DEBUG: "true" }, stdout: sink, stderr: sink }),
    text: () => text,
  };
}

/** A step token signed by a local issuer standing in for the workspace's Bitbucket identity provider. */
async function stepToken(): Promise<string> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const kid = (await exportJWK(publicKey)).n?.slice(0, 16) ?? "local";
  return new SignJWT({ branchName: "main", repositoryUuid: "{6f3c2a9e-8d41-4b7a-a1c2-5e9f0d3b7c44}" })
    .setProtectedHeader({ alg: "RS256", kid })
    .setIssuer("https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc")
    .setAudience("ari:cloud:bitbucket::workspace/0b1f6ab3-5a5c-4f7e-9b59-2d1a8c6f0e11")
    .setSubject("{6f3c2a9e-8d41-4b7a-a1c2-5e9f0d3b7c44}:{e1f2a3b4}:{c4d5e6f7}")
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(privateKey);
}

function target(provider: Target["provider"], auth: Target["auth"]): Target {
  return {
    name: `${provider}-dev`,
    provider,
    environment: "dev",
    directory: provider,
    workspace: "dev",
    varFiles: [],
    backendConfig: [],
    auth,
  };
}

// Only the fields targetCredentials reads; the rest of the pipe's variables do not matter here.
const vars = (fields: Partial<Variables>) => ({ AWS_REGION: "eu-west-1", ...fields }) as Variables;
const context = (oidcToken?: string) =>
  ({ buildNumber: "42", ...(oidcToken ? { oidcToken } : {}) }) as unknown as BitbucketContext;

let token: string;
let dir: string;
let moto: Moto;
beforeAll(async () => {
  token = await stepToken();
  dir = await mkdtemp(path.join(tmpdir(), "mcp-auth-"));
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("OIDC credentials per target", () => {
  it("AWS: assumes the target's role on moto's STS, and the session is that role", async () => {
    const { log, text } = logger();
    const roleArn = "arn:aws:iam::123456789012:role/pipes-plan";
    const credentials = await targetCredentials(
      target("aws", { role_arn: roleArn }),
      vars({ AWS_STS_ENDPOINT: moto.endpoint }),
      context(token),
      dir,
      log,
    );
    expect(credentials.method).toBe("oidc");
    expect(credentials.description).toMatch(/assumed-role\/pipes-plan\/bitbucket-42-aws-dev/);
    const { AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN } = credentials.env;
    expect(AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
    const sts = new STSClient({
      region: "eu-west-1",
      endpoint: moto.endpoint,
      credentials: {
        accessKeyId: AWS_ACCESS_KEY_ID as string,
        secretAccessKey: AWS_SECRET_ACCESS_KEY as string,
        sessionToken: AWS_SESSION_TOKEN as string,
      },
    });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toContain("assumed-role/pipes-plan/");
    for (const secret of [token, AWS_SECRET_ACCESS_KEY as string, AWS_SESSION_TOKEN as string])
      expect(text()).not.toContain(secret);
  });

  it("Azure: a 0600 federated token file and the ARM_* environment the azurerm provider reads", async () => {
    const { log, text } = logger();
    const credentials = await targetCredentials(
      target("azure", {
        client_id: "7c8d9e0f-1111-2222-3333-444455556666",
        tenant_id: "aaaabbbb-cccc-dddd-eeee-ffff00001111",
        subscription_id: "11111111-2222-3333-4444-555555555555",
      }),
      vars({}),
      context(token),
      dir,
      log,
    );
    expect(credentials.env).toMatchObject({
      ARM_USE_OIDC: "true",
      ARM_CLIENT_ID: "7c8d9e0f-1111-2222-3333-444455556666",
      ARM_TENANT_ID: "aaaabbbb-cccc-dddd-eeee-ffff00001111",
      ARM_SUBSCRIPTION_ID: "11111111-2222-3333-4444-555555555555",
    });
    const file = credentials.env.ARM_OIDC_TOKEN_FILE_PATH as string;
    expect(credentials.env.AZURE_FEDERATED_TOKEN_FILE).toBe(file);
    expect(await readFile(file, "utf8")).toBe(token);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(credentials.env)).not.toContain(token);
    expect(text()).not.toContain(token);
  });

  it("GCP: an external_account credential file for the workload identity pool, in GOOGLE_APPLICATION_CREDENTIALS", async () => {
    const { log } = logger();
    const provider = "projects/123456789/locations/global/workloadIdentityPools/bitbucket/providers/acme";
    const credentials = await targetCredentials(
      target("gcp", {
        workload_identity_provider: provider,
        service_account: "plan@acme-dev.iam.gserviceaccount.com",
        project_id: "acme-dev",
      }),
      vars({}),
      context(token),
      dir,
      log,
    );
    expect(credentials.env.GOOGLE_PROJECT).toBe("acme-dev");
    const config = JSON.parse(
      await readFile(credentials.env.GOOGLE_APPLICATION_CREDENTIALS as string, "utf8"),
    );
    expect(config).toMatchObject({
      type: "external_account",
      audience: `//iam.googleapis.com/${provider}`,
      subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
      token_url: "https://sts.googleapis.com/v1/token",
      service_account_impersonation_url: expect.stringContaining(
        "plan@acme-dev.iam.gserviceaccount.com:generateAccessToken",
      ),
    });
    expect(await readFile(config.credential_source.file, "utf8")).toBe(token);
    expect(JSON.stringify(config)).not.toContain(token);
  });

  it("names the variable to fix when a target wants OIDC and the step has no token", async () => {
    const { log } = logger();
    const error = await targetCredentials(
      target("aws", { role_arn: "arn:aws:iam::123456789012:role/pipes-plan" }),
      vars({}),
      context(),
      dir,
      log,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toContain("BITBUCKET_STEP_OIDC_TOKEN");
  });

  it("falls back to static credentials without printing them", async () => {
    const { log } = logger();
    const credentials = await targetCredentials(
      target("aws", {}),
      vars({ AWS_ACCESS_KEY_ID: "AKIAEXAMPLE", AWS_SECRET_ACCESS_KEY: "static-secret-value" }),
      context(token),
      dir,
      log,
    );
    expect(credentials.method).toBe("static");
    expect(credentials.description).not.toContain("static-secret-value");
  });
});
