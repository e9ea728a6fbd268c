export {
  type ApiCall,
  BitbucketClient,
  type BitbucketClientOptions,
  createBitbucketClient,
  type HttpMethod,
  type QueryValue,
} from "./client.ts";
export {
  ANNOTATION_RESULTS,
  ANNOTATION_SEVERITIES,
  ANNOTATION_TYPES,
  type AnnotationResult,
  type AnnotationSelection,
  type AnnotationSeverity,
  type AnnotationType,
  annotationId,
  CODE_INSIGHTS_LIMITS,
  type InsightAnnotation,
  type InsightReport,
  inBatches,
  REPORT_RESULTS,
  REPORT_TYPES,
  type ReportDatum,
  type ReportResult,
  type ReportType,
  selectAnnotations,
  toWireAnnotation,
  toWireReport,
  truncate,
  type WireAnnotation,
  type WireReport,
} from "./code-insights.ts";
export {
  findStickyComment,
  isStickyComment,
  type StickyComment,
  type StickyCommentAction,
  type StickyCommentResult,
  stickyCommentText,
  stickyMarker,
  upsertStickyComment,
} from "./comments.ts";
export {
  type AuthMode,
  BITBUCKET_API_URL,
  type Connection,
  connectionFor,
  type EndpointOptions,
  endpointOverrides,
  PIPELINES_PROXY_URL,
  PROXIED_API_URL,
} from "./connection.ts";
export {
  authorizationHeader,
  type BitbucketCredentials,
  bitbucketCredentials,
  type CredentialValues,
  credentialSecrets,
} from "./credentials.ts";
export { type ApiFailure, BitbucketApiError } from "./errors.ts";
export {
  type BitbucketAccess,
  bitbucketAccessVariables,
  type PipePublication,
  pipeBitbucketClient,
  publishToBitbucket,
} from "./pipe-access.ts";
export {
  type Deployment,
  type DeploymentEnvironment,
  getPipeline,
  listDeployments,
  listEnvironments,
  listPipelineSteps,
  listPipelines,
  type Pipeline,
  type PipelineStep,
} from "./pipelines.ts";
export { type PublishResult, publish } from "./publish.ts";
export {
  type ParticipantUser,
  type PullRequestParticipant,
  pullRequestParticipants,
} from "./pull-requests.ts";
export {
  deleteReport,
  type PublishedInsights,
  postAnnotations,
  publishCodeInsights,
  putReport,
} from "./reports.ts";
export {
  type CommitRef,
  commitFromContext,
  type PullRequestRef,
  pullRequestFromContext,
  type RepositoryRef,
  repositoryFromContext,
  repositoryPath,
} from "./repository.ts";
export {
  type AttemptOutcome,
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isTransientStatus,
  parseRetryAfter,
  type RetryDecision,
  type RetryPolicy,
  retryDecision,
} from "./retry.ts";
export {
  COMMIT_STATUS_STATES,
  type CommitStatus,
  type CommitStatusState,
  listCommitStatuses,
  setCommitStatus,
} from "./statuses.ts";
