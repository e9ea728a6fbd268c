/**
 * The claims of a Bitbucket Pipelines step token (`BITBUCKET_STEP_OIDC_TOKEN`). Uuids are written
 * with braces, e.g. `{4f5a…}`. `deploymentEnvironmentUuid` is there only on steps with
 * `deployment:`; `branchName` only when the pipeline runs for a branch.
 * https://support.atlassian.com/bitbucket-cloud/docs/integrate-pipelines-with-resource-servers-using-oidc/
 */
import { z } from "zod";

const uuid = z.string().min(1);

export const stepTokenClaimsSchema = z.object({
  iss: z.string(),
  /** One audience, or several when the step lists `oidc: audiences:`. */
  aud: z.union([z.string(), z.array(z.string())]),
  /** `{repositoryUuid}[:{deploymentEnvironmentUuid}]:{stepUuid}`. */
  sub: z.string(),
  iat: z.number(),
  exp: z.number(),
  accountUuid: uuid.optional(),
  workspaceUuid: uuid,
  repositoryUuid: uuid,
  pipelineUuid: uuid,
  stepUuid: uuid,
  deploymentEnvironmentUuid: uuid.optional(),
  branchName: z.string().optional(),
});

export type StepTokenClaims = z.infer<typeof stepTokenClaimsSchema>;

/** The claim names this package checks, as Bitbucket spells them. */
export type ClaimName = keyof StepTokenClaims;

export function audiences(claims: Pick<StepTokenClaims, "aud">): string[] {
  return Array.isArray(claims.aud) ? claims.aud : [claims.aud];
}
