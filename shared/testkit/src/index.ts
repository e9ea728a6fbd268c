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
