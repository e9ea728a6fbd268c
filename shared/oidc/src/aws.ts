/**
 * AWS: the step token becomes an IAM role session through STS AssumeRoleWithWebIdentity, an
 * unsigned call (the token is the credential). Either the pipe calls STS and hands tools the
 * temporary keys, or it hands them the role and token file and lets their SDK do the call.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
 */
import {
  AssumeRoleWithWebIdentityCommand,
  type AssumeRoleWithWebIdentityCommandOutput,
  STSClient,
} from "@aws-sdk/client-sts";
import { InputError, type Logger, PipeError } from "@pipes/core";
import { TOKEN_FILE_NAME, writePrivateFile } from "./private-file.ts";

export interface AwsRoleOptions {
  roleArn: string;
  /** Shows in CloudTrail as the session of the role. Default `bitbucket-pipelines`. */
  sessionName?: string;
  /** Default `us-east-1`; also exported as AWS_REGION / AWS_DEFAULT_REGION. */
  region?: string;
  /** 900 to the role's maximum. Default: STS's (3600). */
  durationSeconds?: number;
  /** STS endpoint override: a VPC endpoint, or a local STS (moto) in tests. */
  endpoint?: string;
}

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  /** arn:aws:sts::<account>:assumed-role/<role>/<session> */
  assumedRoleArn: string | undefined;
}

export interface AwsRoleSession {
  credentials: AwsCredentials;
  /** For tools run by the pipe: the standard variables of every AWS SDK and the AWS CLI. */
  env: Record<string, string>;
}

const DEFAULT_REGION = "us-east-1";
const DEFAULT_SESSION_NAME = "bitbucket-pipelines";

/** STS's own rule for RoleSessionName. */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

function sessionName(options: AwsRoleOptions): string {
  const name = options.sessionName ?? DEFAULT_SESSION_NAME;
  if (!SESSION_NAME.test(name))
    throw new InputError(
      `AWS role session name "${name}" is not 2-64 characters of letters, digits and _+=,.@-`,
      { suggestion: "Pick a session name such as bitbucket-<repository>-<build number>." },
    );
  return name;
}

function regionEnv(region: string): Record<string, string> {
  return { AWS_REGION: region, AWS_DEFAULT_REGION: region };
}

/** Exchanges the step token for temporary credentials of `roleArn`; every secret is masked. */
export async function assumeAwsRole(
  token: string,
  options: AwsRoleOptions,
  log: Logger,
): Promise<AwsRoleSession> {
  log.masker.add(token);
  const region = options.region ?? DEFAULT_REGION;
  const client = new STSClient({
    region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    maxAttempts: 3,
  });
  let response: AssumeRoleWithWebIdentityCommandOutput;
  try {
    response = await client.send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: options.roleArn,
        RoleSessionName: sessionName(options),
        WebIdentityToken: token,
        ...(options.durationSeconds === undefined ? {} : { DurationSeconds: options.durationSeconds }),
      }),
    );
  } catch (error) {
    if (error instanceof PipeError) throw error;
    const reason =
      error instanceof Error ? `${error.name}: ${log.masker.mask(error.message)}` : String(error);
    throw new PipeError(`AWS STS refused the OIDC token for ${options.roleArn}: ${reason}`, {
      code: "OIDC_AWS_EXCHANGE",
      suggestion:
        "Check the role's trust policy: the Bitbucket workspace's identity provider, its audience, and the sub/repository conditions.",
      cause: error,
    });
  } finally {
    client.destroy();
  }
  const { Credentials: c, AssumedRoleUser: user } = response;
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration)
    throw new PipeError(
      `AWS STS answered AssumeRoleWithWebIdentity for ${options.roleArn} without credentials`,
      {
        code: "OIDC_AWS_EXCHANGE",
      },
    );
  const credentials: AwsCredentials = {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    sessionToken: c.SessionToken,
    expiration: c.Expiration,
    assumedRoleArn: user?.Arn,
  };
  for (const secret of [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken])
    log.masker.add(secret);
  return {
    credentials,
    env: {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
      // Read by the AWS SDKs' environment provider so they know when to stop using the keys.
      AWS_CREDENTIAL_EXPIRATION: credentials.expiration.toISOString(),
      ...regionEnv(region),
    },
  };
}

export interface AwsWebIdentity {
  tokenFile: string;
  /** AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE: the tool's own SDK assumes the role, and again on expiry. */
  env: Record<string, string>;
}

/**
 * Writes the token where AWS SDKs look for a web identity token, for tools that assume the role
 * themselves (Terraform's AWS provider, the AWS CLI).
 */
export async function awsWebIdentity(
  token: string,
  options: Omit<AwsRoleOptions, "durationSeconds" | "endpoint"> & { dir: string },
  log: Logger,
): Promise<AwsWebIdentity> {
  log.masker.add(token);
  const tokenFile = await writePrivateFile(options.dir, TOKEN_FILE_NAME, token);
  return {
    tokenFile,
    env: {
      AWS_ROLE_ARN: options.roleArn,
      AWS_WEB_IDENTITY_TOKEN_FILE: tokenFile,
      AWS_ROLE_SESSION_NAME: sessionName(options),
      ...regionEnv(options.region ?? DEFAULT_REGION),
    },
  };
}
