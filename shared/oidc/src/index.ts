export {
  type AwsCredentials,
  type AwsRoleOptions,
  type AwsRoleSession,
  type AwsWebIdentity,
  assumeAwsRole,
  awsWebIdentity,
} from "./aws.ts";
export {
  type AzureFederation,
  type AzureFederationOptions,
  azLoginCommand,
  azureFederation,
} from "./azure.ts";
export { audiences, type ClaimName, type StepTokenClaims, stepTokenClaimsSchema } from "./claims.ts";
export {
  type ClaimProblem,
  claimProblems,
  type DeploymentEnvironmentExpectation,
  type StepTokenExpectations,
} from "./expectations.ts";
export {
  type ExternalAccountCredentials,
  type GcpWorkloadIdentity,
  type GcpWorkloadIdentityOptions,
  gcpExternalAccountCredentials,
  gcpWorkloadIdentity,
  gcpWorkloadIdentityAudience,
} from "./gcp.ts";
export { InvalidStepTokenError, InvalidTokenReason } from "./invalid-token.ts";
export {
  bareUuid,
  bitbucketDefaultAudience,
  bitbucketDiscoveryUrl,
  bitbucketIssuer,
  bitbucketJwksUrl,
  sameUuid,
} from "./issuer.ts";
export { PRIVATE_FILE_MODE, TOKEN_FILE_NAME, writePrivateFile } from "./private-file.ts";
export {
  type StepTokenKeys,
  type StepTokenVerification,
  type VerifyOptions,
  verifyStepToken,
} from "./verify.ts";
