import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { Logger } from "@pipes/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assumeAwsRole, awsWebIdentity } from "../src/aws.ts";
import { azLoginCommand, azureFederation } from "../src/azure.ts";
import { gcpWorkloadIdentity } from "../src/gcp.ts";

const TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzdGVwIn0.c2lnbmF0dXJl";
const ROLE_ARN = "arn:aws:iam::123456789012:role/terraform-deployer";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "oidc-exchange-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function logger(): Logger {
  const sink = new PassThrough();
  return new Logger({ env: { NO_COLOR: "1" }, stdout: sink, stderr: sink });
}

async function mode(file: string): Promise<string> {
  return ((await stat(file)).mode & 0o777).toString(8);
}

/**
 * The answer of AWS STS to AssumeRoleWithWebIdentity, in the shape of the example in
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
 */
const STS_RESPONSE = `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>{6f3c2a9e-8d41-4b7a-a1c2-5e9f0d3b7c44}:{c4d5e6f7-1a2b-4c3d-8e9f-0a1b2c3d4e66}</SubjectFromWebIdentityToken>
    <Audience>ari:cloud:bitbucket::workspace/0b1f6ab3-5a5c-4f7e-9b59-2d1a8c6f0e11</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/terraform-deployer/bitbucket-42</Arn>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:bitbucket-42</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <Expiration>2026-03-01T13:00:00Z</Expiration>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
    </Credentials>
    <Provider>api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>`;

const STS_ERROR = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>Sender</Type>
    <Code>AccessDenied</Code>
    <Message>Not authorized to perform sts:AssumeRoleWithWebIdentity</Message>
  </Error>
  <RequestId>c8b0a1e2-0000-4000-8000-000000000000</RequestId>
</ErrorResponse>`;

describe("exchanging the step token with AWS STS", () => {
  let server: Server | undefined;
  let requests: { headers: IncomingMessage["headers"]; form: URLSearchParams }[];
  afterEach(() => server?.close());

  async function sts(status: number, body: string): Promise<string> {
    requests = [];
    server = createServer((request, response) => {
      let text = "";
      request.on("data", (chunk: Buffer) => {
        text += chunk.toString("utf8");
      });
      request.on("end", () => {
        requests.push({ headers: request.headers, form: new URLSearchParams(text) });
        response.writeHead(status, { "content-type": "text/xml" }).end(body);
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it("sends the token and role unsigned, and returns the credentials as the AWS variables", async () => {
    const endpoint = await sts(200, STS_RESPONSE);
    const log = logger();
    const session = await assumeAwsRole(
      TOKEN,
      { roleArn: ROLE_ARN, sessionName: "bitbucket-42", region: "eu-west-1", endpoint },
      log,
    );
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(Object.fromEntries(request?.form ?? [])).toMatchObject({
      Action: "AssumeRoleWithWebIdentity",
      Version: "2011-06-15",
      RoleArn: ROLE_ARN,
      RoleSessionName: "bitbucket-42",
      WebIdentityToken: TOKEN,
    });
    expect(request?.headers.authorization).toBeUndefined();
    expect(session.credentials).toEqual({
      accessKeyId: "ASIAIOSFODNN7EXAMPLE",
      secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
      sessionToken: "AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE",
      expiration: new Date("2026-03-01T13:00:00Z"),
      assumedRoleArn: "arn:aws:sts::123456789012:assumed-role/terraform-deployer/bitbucket-42",
    });
    expect(session.env).toEqual({
      AWS_ACCESS_KEY_ID: "ASIAIOSFODNN7EXAMPLE",
      AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
      AWS_SESSION_TOKEN: "AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE",
      AWS_CREDENTIAL_EXPIRATION: "2026-03-01T13:00:00.000Z",
      AWS_REGION: "eu-west-1",
      AWS_DEFAULT_REGION: "eu-west-1",
    });
    expect(log.masker.mask(`${TOKEN} wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY`)).toBe("**** ****");
  });

  it("says which role STS refused and why, without the token", async () => {
    const endpoint = await sts(403, STS_ERROR);
    const error = await assumeAwsRole(TOKEN, { roleArn: ROLE_ARN, endpoint }, logger()).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: "OIDC_AWS_EXCHANGE",
      message: `AWS STS refused the OIDC token for ${ROLE_ARN}: AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity`,
    });
  });

  it("refuses a session name STS would reject, before calling it", async () => {
    await expect(
      assumeAwsRole(TOKEN, { roleArn: ROLE_ARN, sessionName: "has spaces" }, logger()),
    ).rejects.toThrow(
      'AWS role session name "has spaces" is not 2-64 characters of letters, digits and _+=,.@-',
    );
  });

  it("alternatively hands tools the role and an owner-only token file to assume it themselves", async () => {
    const identity = await awsWebIdentity(TOKEN, { roleArn: ROLE_ARN, dir, region: "eu-west-1" }, logger());
    expect(identity.env).toEqual({
      AWS_ROLE_ARN: ROLE_ARN,
      AWS_WEB_IDENTITY_TOKEN_FILE: path.join(dir, "bitbucket-step-oidc-token"),
      AWS_ROLE_SESSION_NAME: "bitbucket-pipelines",
      AWS_REGION: "eu-west-1",
      AWS_DEFAULT_REGION: "eu-west-1",
    });
    expect(await readFile(identity.tokenFile, "utf8")).toBe(TOKEN);
    expect(await mode(identity.tokenFile)).toBe("600");
  });
});

describe("federating the step token with Azure", () => {
  const ids = {
    clientId: "00000000-aaaa-4bbb-8ccc-111111111111",
    tenantId: "22222222-dddd-4eee-8fff-333333333333",
    subscriptionId: "44444444-0000-4111-8222-555555555555",
  };

  it("writes the token to an owner-only file and points azurerm, azuread and azure-identity at it", async () => {
    const federation = await azureFederation(TOKEN, { ...ids, dir }, logger());
    expect(federation.env).toEqual({
      ARM_USE_OIDC: "true",
      ARM_OIDC_TOKEN_FILE_PATH: federation.tokenFile,
      ARM_CLIENT_ID: ids.clientId,
      ARM_TENANT_ID: ids.tenantId,
      ARM_SUBSCRIPTION_ID: ids.subscriptionId,
      AZURE_FEDERATED_TOKEN_FILE: federation.tokenFile,
      AZURE_CLIENT_ID: ids.clientId,
      AZURE_TENANT_ID: ids.tenantId,
    });
    expect(await readFile(federation.tokenFile, "utf8")).toBe(TOKEN);
    expect(await mode(federation.tokenFile)).toBe("600");
  });

  it("passes the token itself in ARM_OIDC_TOKEN for providers that read no file", async () => {
    const federation = await azureFederation(TOKEN, { ...ids, dir, armTokenIn: "env" }, logger());
    expect(federation.env.ARM_OIDC_TOKEN).toBe(TOKEN);
    expect(federation.env.ARM_OIDC_TOKEN_FILE_PATH).toBeUndefined();
  });

  it("logs the Azure CLI in with the federated token", () => {
    expect(azLoginCommand(TOKEN, ids)).toEqual({
      tool: "az",
      args: [
        "login",
        "--service-principal",
        "--username",
        ids.clientId,
        "--tenant",
        ids.tenantId,
        "--federated-token",
        TOKEN,
        "--allow-no-subscriptions",
        "--output",
        "none",
      ],
    });
  });
});

describe("federating the step token with Google Cloud", () => {
  const pool = { projectNumber: "123456789012", poolId: "bitbucket", providerId: "acme" };

  it("writes an external_account credential configuration that reads the token file", async () => {
    const identity = await gcpWorkloadIdentity(
      TOKEN,
      {
        ...pool,
        serviceAccountEmail: "terraform@acme-prod.iam.gserviceaccount.com",
        projectId: "acme-prod",
        dir,
      },
      logger(),
    );
    expect(JSON.parse(await readFile(identity.credentialsFile, "utf8"))).toEqual({
      type: "external_account",
      audience:
        "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/bitbucket/providers/acme",
      subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
      token_url: "https://sts.googleapis.com/v1/token",
      service_account_impersonation_url:
        "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/terraform@acme-prod.iam.gserviceaccount.com:generateAccessToken",
      credential_source: { file: identity.tokenFile, format: { type: "text" } },
      universe_domain: "googleapis.com",
    });
    expect(identity.env).toEqual({
      GOOGLE_APPLICATION_CREDENTIALS: identity.credentialsFile,
      CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: identity.credentialsFile,
      GOOGLE_CLOUD_PROJECT: "acme-prod",
      CLOUDSDK_CORE_PROJECT: "acme-prod",
      GOOGLE_PROJECT: "acme-prod",
    });
    expect(await readFile(identity.tokenFile, "utf8")).toBe(TOKEN);
    expect(await mode(identity.tokenFile)).toBe("600");
    expect(await mode(identity.credentialsFile)).toBe("600");
  });

  it("uses the federated identity directly when no service account is named", async () => {
    const identity = await gcpWorkloadIdentity(TOKEN, { ...pool, dir }, logger());
    const credentials = JSON.parse(await readFile(identity.credentialsFile, "utf8"));
    expect(credentials.service_account_impersonation_url).toBeUndefined();
    expect(identity.env).toEqual({
      GOOGLE_APPLICATION_CREDENTIALS: identity.credentialsFile,
      CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE: identity.credentialsFile,
    });
  });
});
