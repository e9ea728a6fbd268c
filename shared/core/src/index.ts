export { type BitbucketContext, bitbucketContext } from "./context.ts";
export { GENERATED_NOTE, type PipeMetadata, pipeYaml, variablesTable, withVariablesTable } from "./docs.ts";
export { type Env, envFlag, parseBooleanWord, processEnv } from "./env.ts";
export { ExitCode, errorMessage, InputError, PipeError, type PipeErrorOptions, ToolError } from "./errors.ts";
export { type FileContent, writeFileAtomic, writeJsonAtomic } from "./files.ts";
export { Logger, type LoggerOptions } from "./log.ts";
export { SecretMasker } from "./mask.ts";
export { PipeOutputs } from "./outputs.ts";
export { runTool, type ToolCommand, type ToolResult } from "./process.ts";
export {
  type PipeDefinition,
  type PipeIO,
  type PipeOutcome,
  type PipeRun,
  runPipe,
  type Verdict,
} from "./run.ts";
export {
  defineVariables,
  describeVariables,
  formatDuration,
  parseVariables,
  secretValues,
  type VariableDoc,
  type VariableKind,
  type VariableMeta,
  type VariableShape,
  v,
  variableRegistry,
} from "./variables.ts";
export {
  checkForNewerVersion,
  compareVersions,
  formatVersion,
  newerInMajor,
  parseVersion,
  type Version,
  type VersionCheckOptions,
} from "./version-notice.ts";
