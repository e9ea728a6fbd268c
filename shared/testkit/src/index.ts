export {
  type BuildOptions,
  buildImage,
  CLONE_DIR,
  docker,
  type PipeRunResult,
  pipeEnvironment,
  type RunOptions,
  runPipeContainer,
  SHARED_STORAGE_DIR,
  type StepContext,
  stepEnvironment,
  type VariableValue,
} from "./container.ts";
export {
  type FakeBitbucket,
  type FakeBitbucketOptions,
  type RecordedCall,
  type SpecViolation,
  startFakeBitbucket,
} from "./fake-bitbucket.ts";
export type { Fault, FaultTarget } from "./fake-bitbucket-faults.ts";
export {
  FAKE_DEFAULT_REPOSITORY,
  FAKE_USER,
  type FakeAccount,
  type FakeComment,
  type FakeCommitStatus,
  type FakeParticipant,
  type FakePullRequest,
  type FakeReport,
  type FakeResource,
  type FakeSeed,
  type FakeStep,
} from "./fake-bitbucket-state.ts";
export {
  type Azurite,
  type FakeGcs,
  freePort,
  type Moto,
  type Postgres,
  type RunningService,
  startAzurite,
  startFakeGcs,
  startMoto,
  startPostgres,
} from "./services.ts";
