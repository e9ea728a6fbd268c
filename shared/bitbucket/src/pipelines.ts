/**
 * Thin reads of Pipelines: pipelines, their steps, deployments and environments, with the fields the
 * pipes use. https://developer.atlassian.com/cloud/bitbucket/rest/api-group-pipelines/ and
 * https://developer.atlassian.com/cloud/bitbucket/rest/api-group-deployments/
 */
import { z } from "zod";
import type { BitbucketClient, QueryValue } from "./client.ts";
import { type RepositoryRef, repositoryPath } from "./repository.ts";

const named = z.object({ name: z.string() });
/** A pipeline's or step's state: PENDING, IN_PROGRESS or COMPLETED, with a result once completed. */
const runState = z.object({ name: z.string(), result: named.optional(), stage: named.optional() });

const pipelineWire = z.object({
  uuid: z.string(),
  build_number: z.number().optional(),
  state: runState.optional(),
  created_on: z.string().optional(),
  completed_on: z.string().optional(),
  target: z
    .object({
      ref_name: z.string().optional(),
      commit: z.object({ hash: z.string() }).optional(),
    })
    .optional(),
});

export interface Pipeline {
  uuid: string;
  buildNumber: number | undefined;
  /** PENDING, IN_PROGRESS, COMPLETED, ... */
  state: string | undefined;
  /** SUCCESSFUL, FAILED, STOPPED, ... once completed. */
  result: string | undefined;
  refName: string | undefined;
  commit: string | undefined;
  createdOn: string | undefined;
  completedOn: string | undefined;
}

function toPipeline(wire: z.output<typeof pipelineWire>): Pipeline {
  return {
    uuid: wire.uuid,
    buildNumber: wire.build_number,
    state: wire.state?.name,
    result: wire.state?.result?.name,
    refName: wire.target?.ref_name,
    commit: wire.target?.commit?.hash,
    createdOn: wire.created_on,
    completedOn: wire.completed_on,
  };
}

export async function getPipeline(
  client: BitbucketClient,
  repo: RepositoryRef,
  pipelineUuid: string,
): Promise<Pipeline> {
  return toPipeline(
    await client.call({
      method: "GET",
      path: repositoryPath(repo, "pipelines", pipelineUuid),
      response: pipelineWire,
    }),
  );
}

/** Pipelines of the repository; `query` takes the API's filters, e.g. `{ "target.ref_name": "main", sort: "-created_on" }`. */
export async function listPipelines(
  client: BitbucketClient,
  repo: RepositoryRef,
  query: Readonly<Record<string, QueryValue>> = {},
  limit = 100,
): Promise<Pipeline[]> {
  const pipelines: Pipeline[] = [];
  for await (const wire of client.paginate(repositoryPath(repo, "pipelines"), pipelineWire, query)) {
    pipelines.push(toPipeline(wire));
    if (pipelines.length >= limit) break;
  }
  return pipelines;
}

const stepWire = z.object({
  uuid: z.string(),
  // Real responses carry name and duration_in_seconds although the spec does not declare them.
  name: z.string().optional(),
  state: runState.optional(),
  started_on: z.string().optional(),
  completed_on: z.string().optional(),
  duration_in_seconds: z.number().optional(),
});

export interface PipelineStep {
  uuid: string;
  name: string | undefined;
  state: string | undefined;
  result: string | undefined;
  startedOn: string | undefined;
  completedOn: string | undefined;
  durationSeconds: number | undefined;
}

export async function listPipelineSteps(
  client: BitbucketClient,
  repo: RepositoryRef,
  pipelineUuid: string,
): Promise<PipelineStep[]> {
  const steps: PipelineStep[] = [];
  for await (const wire of client.paginate(
    repositoryPath(repo, "pipelines", pipelineUuid, "steps"),
    stepWire,
  )) {
    steps.push({
      uuid: wire.uuid,
      name: wire.name,
      state: wire.state?.name,
      result: wire.state?.result?.name,
      startedOn: wire.started_on,
      completedOn: wire.completed_on,
      durationSeconds: wire.duration_in_seconds,
    });
  }
  return steps;
}

const environmentWire = z.object({
  uuid: z.string(),
  name: z.string().optional(),
  slug: z.string().optional(),
  environment_type: z.object({ name: z.string().optional() }).optional(),
});

export interface DeploymentEnvironment {
  uuid: string;
  name: string | undefined;
  slug: string | undefined;
  /** Test, Staging or Production. */
  type: string | undefined;
}

function toEnvironment(wire: z.output<typeof environmentWire>): DeploymentEnvironment {
  return { uuid: wire.uuid, name: wire.name, slug: wire.slug, type: wire.environment_type?.name };
}

export async function listEnvironments(
  client: BitbucketClient,
  repo: RepositoryRef,
): Promise<DeploymentEnvironment[]> {
  const environments: DeploymentEnvironment[] = [];
  for await (const wire of client.paginate(repositoryPath(repo, "environments"), environmentWire)) {
    environments.push(toEnvironment(wire));
  }
  return environments;
}

const deploymentWire = z.object({
  uuid: z.string(),
  state: z.object({ name: z.string(), status: named.optional() }).optional(),
  environment: z.object({ uuid: z.string() }).optional(),
  release: z
    .object({
      name: z.string().optional(),
      commit: z.object({ hash: z.string() }).optional(),
      created_on: z.string().optional(),
    })
    .optional(),
});

export interface Deployment {
  uuid: string;
  /** UNDEPLOYED, IN_PROGRESS, COMPLETED */
  state: string | undefined;
  /** SUCCESSFUL, FAILED, STOPPED once completed. */
  status: string | undefined;
  environmentUuid: string | undefined;
  releaseName: string | undefined;
  commit: string | undefined;
}

export async function listDeployments(
  client: BitbucketClient,
  repo: RepositoryRef,
  limit = 100,
): Promise<Deployment[]> {
  const deployments: Deployment[] = [];
  for await (const wire of client.paginate(repositoryPath(repo, "deployments"), deploymentWire)) {
    deployments.push({
      uuid: wire.uuid,
      state: wire.state?.name,
      status: wire.state?.status?.name,
      environmentUuid: wire.environment?.uuid,
      releaseName: wire.release?.name,
      commit: wire.release?.commit?.hash,
    });
    if (deployments.length >= limit) break;
  }
  return deployments;
}
