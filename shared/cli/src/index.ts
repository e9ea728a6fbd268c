export { prepareExampleRepository, pullRequestPipes, runExample } from "./example.ts";
export { buildLocalImage, localImage, runLocally } from "./local-run.ts";
export { localPipe, pipeNameOf } from "./pipes.ts";
