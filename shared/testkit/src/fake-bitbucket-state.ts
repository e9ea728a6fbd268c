/**
 * What the fake Bitbucket API remembers, and its answer to each operation it implements, keyed by
 * the operation's id in the API document. Requests reach it already checked against the document, so
 * handlers only read what they need. Answers carry what real answers carry (type, uuid, timestamps,
 * links), and are themselves checked against the document afterwards.
 */
import { type JsonWebKey, randomUUID } from "node:crypto";

export type WireObject = Record<string, unknown>;

/** The repository seeds belong to when they do not say: the one `stepEnvironment()` describes. */
export const FAKE_DEFAULT_REPOSITORY = "acme/infrastructure";

export interface FakeAccount {
  display_name: string;
  uuid: string;
  account_id?: string;
  nickname?: string;
}

export interface FakeParticipant {
  user: FakeAccount;
  role?: "PARTICIPANT" | "REVIEWER";
  approved?: boolean;
  state?: "approved" | "changes_requested" | null;
  participated_on?: string;
}

export interface FakePullRequest {
  /** "workspace/repo_slug"; default acme/infrastructure. */
  repo?: string;
  id: number;
  title?: string;
  state?: "OPEN" | "MERGED" | "DECLINED" | "SUPERSEDED";
  author?: FakeAccount;
  sourceBranch?: string;
  destinationBranch?: string;
  participants?: FakeParticipant[];
}

/** Pipelines, steps, deployments and environments are stored as given: any wire field may be added. */
export interface FakeResource {
  repo?: string;
  uuid?: string;
  [field: string]: unknown;
}

export interface FakeStep extends FakeResource {
  /** The pipeline the step belongs to. */
  pipeline_uuid: string;
}

export interface FakeSeed {
  pullRequests?: FakePullRequest[];
  pipelines?: FakeResource[];
  steps?: FakeStep[];
  deployments?: FakeResource[];
  environments?: FakeResource[];
}

export interface FakeReport {
  repo: string;
  commit: string;
  reportId: string;
  report: WireObject;
  /** In the order they were first created. */
  annotations: WireObject[];
}

export interface FakeComment {
  repo: string;
  prId: number;
  id: number;
  raw: string;
  deleted: boolean;
  createdOn: string;
  updatedOn: string;
}

export interface FakeCommitStatus {
  repo: string;
  commit: string;
  status: WireObject;
}

export interface OperationContext {
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string | string[]>>;
  body: unknown;
  /** Scheme and host of links in answers: the fake's own, or http://api.bitbucket.org through the proxy. */
  origin: string;
  /** The request path below /2.0, for pagination links. */
  path: string;
}

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Why the real API would reject the request although the API document allows it. */
  rejection?: string;
}

export const FAKE_USER: FakeAccount = {
  display_name: "Bitbucket Pipelines",
  uuid: "{a4c1e3f0-7d2b-4c5e-9f80-1b2c3d4e5f60}",
  account_id: "557058:fake-pipelines",
  nickname: "pipelines",
};

const MAX_ANNOTATIONS_PER_REPORT = 1000;

function record(value: unknown): WireObject {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as WireObject) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function now(): string {
  return new Date().toISOString();
}

function uuid(): string {
  return `{${randomUUID()}}`;
}

function error(status: number, message: string, rejection?: string): Answer {
  return { status, body: { type: "error", error: { message } }, ...(rejection ? { rejection } : {}) };
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** One page of a collection, as Bitbucket pages them (default 10 a page, at most 100). */
function page(values: readonly unknown[], ctx: OperationContext): Answer {
  const pagelen = Math.min(100, Math.max(1, Number(first(ctx.query.pagelen) ?? 10) || 10));
  const number = Math.max(1, Number(first(ctx.query.page) ?? 1) || 1);
  const start = (number - 1) * pagelen;
  const link = (to: number) => {
    const url = new URL(`${ctx.origin}/2.0${ctx.path}`);
    for (const [name, value] of Object.entries(ctx.query)) url.searchParams.set(name, String(first(value)));
    url.searchParams.set("page", String(to));
    return url.href;
  };
  return {
    status: 200,
    body: {
      size: values.length,
      page: number,
      pagelen,
      values: values.slice(start, start + pagelen),
      ...(start + pagelen < values.length ? { next: link(number + 1) } : {}),
      ...(number > 1 ? { previous: link(number - 1) } : {}),
    },
  };
}

function account(user: FakeAccount): WireObject {
  return { type: "user", ...user };
}

interface StoredReport {
  repo: string;
  commit: string;
  report: WireObject;
  annotations: Map<string, WireObject>;
}

interface StoredComment extends FakeComment {
  inline?: WireObject;
  parent?: number;
}

type Handler = (ctx: OperationContext, repo: string) => Answer;

export class FakeState {
  #reports = new Map<string, StoredReport>();
  #comments: StoredComment[] = [];
  #nextCommentId = 1001;
  #statuses = new Map<string, WireObject>();
  #pullRequests = new Map<string, FakePullRequest>();
  #pipelines: Array<WireObject & { repo: string }> = [];
  #steps: Array<WireObject & { repo: string; pipeline_uuid: string }> = [];
  #deployments: Array<WireObject & { repo: string }> = [];
  #environments: Array<WireObject & { repo: string }> = [];
  #oidcKeys: JsonWebKey[] = [];
  readonly #oidcIssuer: (workspace: string) => string;

  constructor(oidcIssuer: (workspace: string) => string) {
    this.#oidcIssuer = oidcIssuer;
  }

  seed(seed: FakeSeed): void {
    for (const pr of seed.pullRequests ?? []) {
      this.#pullRequests.set(`${pr.repo ?? FAKE_DEFAULT_REPOSITORY}#${pr.id}`, pr);
    }
    const withDefaults = (resource: FakeResource) => ({
      ...resource,
      repo: resource.repo ?? FAKE_DEFAULT_REPOSITORY,
      uuid: resource.uuid ?? uuid(),
    });
    this.#pipelines.push(
      ...(seed.pipelines ?? []).map((p) => ({ type: "pipeline", created_on: now(), ...withDefaults(p) })),
    );
    this.#steps.push(
      ...(seed.steps ?? []).map((s) => ({
        type: "pipeline_step",
        ...withDefaults(s),
        pipeline_uuid: s.pipeline_uuid,
      })),
    );
    this.#deployments.push(
      ...(seed.deployments ?? []).map((d) => ({ type: "deployment", ...withDefaults(d) })),
    );
    this.#environments.push(
      ...(seed.environments ?? []).map((e) => ({ type: "deployment_environment", ...withDefaults(e) })),
    );
  }

  setOidcKeys(keys: readonly JsonWebKey[]): void {
    this.#oidcKeys = [...keys];
  }

  reports(): FakeReport[] {
    return [...this.#reports.values()].map((r) => ({
      repo: r.repo,
      commit: r.commit,
      reportId: String(r.report.external_id),
      report: r.report,
      annotations: [...r.annotations.values()],
    }));
  }

  comments(): FakeComment[] {
    return this.#comments.map(({ repo, prId, id, raw, deleted, createdOn, updatedOn }) => ({
      repo,
      prId,
      id,
      raw,
      deleted,
      createdOn,
      updatedOn,
    }));
  }

  statuses(): FakeCommitStatus[] {
    return [...this.#statuses.entries()].map(([key, status]) => {
      const [repo = "", commit = ""] = key.split("|");
      return { repo, commit, status };
    });
  }

  /** The answer to an operation, or undefined when the fake does not implement it. */
  answer(operationId: string, ctx: OperationContext): Answer | undefined {
    const handler = this.#handlers[operationId];
    const repo = `${ctx.params.workspace}/${ctx.params.repo_slug}`;
    return handler?.(ctx, repo);
  }

  // ── Code Insights ──────────────────────────────────────────────────────────────────────────────

  #findReport(repo: string, commit: string, reportId: string): StoredReport | undefined {
    return [...this.#reports.values()].find(
      (r) =>
        r.repo === repo &&
        r.commit === commit &&
        (r.report.external_id === reportId || r.report.uuid === reportId),
    );
  }

  #reportOr404(ctx: OperationContext, repo: string): StoredReport | Answer {
    const { commit = "", reportId = "" } = ctx.params;
    return (
      this.#findReport(repo, commit, reportId) ?? error(404, `No report ${reportId} on commit ${commit}.`)
    );
  }

  #putAnnotation(report: StoredReport, input: WireObject, id: string): WireObject {
    const existing = report.annotations.get(id);
    const stamp = now();
    const annotation = {
      ...existing,
      ...input,
      type: "report_annotation",
      external_id: id,
      uuid: existing?.uuid ?? uuid(),
      created_on: existing?.created_on ?? stamp,
      updated_on: stamp,
    };
    report.annotations.set(id, annotation);
    return annotation;
  }

  #annotationsOf(report: StoredReport, id: string): WireObject | undefined {
    return report.annotations.get(id) ?? [...report.annotations.values()].find((a) => a.uuid === id);
  }

  // ── Pull requests ──────────────────────────────────────────────────────────────────────────────

  #pullRequest(repo: string, ctx: OperationContext): FakePullRequest | undefined {
    return this.#pullRequests.get(`${repo}#${ctx.params.pull_request_id}`);
  }

  #pullRequestWire(repo: string, pr: FakePullRequest, origin: string): WireObject {
    const self = `${origin}/2.0/repositories/${repo}/pullrequests/${pr.id}`;
    return {
      type: "pullrequest",
      id: pr.id,
      title: pr.title ?? `Pull request ${pr.id}`,
      state: pr.state ?? "OPEN",
      author: account(pr.author ?? FAKE_USER),
      source: { branch: { name: pr.sourceBranch ?? "feature" } },
      destination: { branch: { name: pr.destinationBranch ?? "main" } },
      participants: (pr.participants ?? []).map((p) => ({
        type: "participant",
        user: account(p.user),
        role: p.role ?? "PARTICIPANT",
        approved: p.approved ?? false,
        state: p.state ?? (p.approved ? "approved" : null),
        participated_on: p.participated_on ?? now(),
      })),
      reviewers: (pr.participants ?? []).filter((p) => p.role === "REVIEWER").map((p) => account(p.user)),
      links: { self: { href: self }, html: { href: `${origin}/${repo}/pull-requests/${pr.id}` } },
    };
  }

  #commentWire(comment: StoredComment, pr: FakePullRequest, origin: string): WireObject {
    const self = `${origin}/2.0/repositories/${comment.repo}/pullrequests/${comment.prId}/comments/${comment.id}`;
    return {
      type: "pullrequest_comment",
      id: comment.id,
      content: { raw: comment.raw, markup: "markdown", html: `<p>${escapeHtml(comment.raw)}</p>` },
      user: account(FAKE_USER),
      created_on: comment.createdOn,
      updated_on: comment.updatedOn,
      deleted: comment.deleted,
      pending: false,
      ...(comment.inline ? { inline: comment.inline } : {}),
      ...(comment.parent ? { parent: { id: comment.parent } } : {}),
      pullrequest: { type: "pullrequest", id: pr.id, title: pr.title ?? `Pull request ${pr.id}` },
      links: {
        self: { href: self },
        html: { href: `${origin}/${comment.repo}/pull-requests/${comment.prId}` },
      },
    };
  }

  #comment(repo: string, ctx: OperationContext): StoredComment | undefined {
    const prId = Number(ctx.params.pull_request_id);
    const id = Number(ctx.params.comment_id);
    return this.#comments.find((c) => c.repo === repo && c.prId === prId && c.id === id);
  }

  // ── Commit statuses ────────────────────────────────────────────────────────────────────────────

  #putStatus(ctx: OperationContext, repo: string, created: number): Answer {
    const body = record(ctx.body);
    const key = text(body.key) ?? ctx.params.key ?? "";
    if (!text(body.url)) return error(400, "url: This field is required.", "a build status needs a url");
    const storeKey = `${repo}|${ctx.params.commit}|${key}`;
    const existing = this.#statuses.get(storeKey);
    const stamp = now();
    const self = `${ctx.origin}/2.0/repositories/${repo}/commit/${ctx.params.commit}/statuses/build/${encodeURIComponent(key)}`;
    const status = {
      ...existing,
      ...body,
      type: "build",
      key,
      created_on: existing?.created_on ?? stamp,
      updated_on: stamp,
      links: {
        self: { href: self },
        commit: { href: `${ctx.origin}/2.0/repositories/${repo}/commit/${ctx.params.commit}` },
      },
    };
    this.#statuses.set(storeKey, status);
    return { status: existing ? 200 : created, body: status };
  }

  // ── Operations ─────────────────────────────────────────────────────────────────────────────────

  readonly #handlers: Record<string, Handler> = {
    createOrUpdateReport: (ctx, repo) => {
      const { commit = "", reportId = "" } = ctx.params;
      const existing = this.#findReport(repo, commit, reportId);
      const stamp = now();
      const report = {
        ...record(ctx.body),
        type: "report",
        external_id: existing?.report.external_id ?? reportId,
        uuid: existing?.report.uuid ?? uuid(),
        created_on: existing?.report.created_on ?? stamp,
        updated_on: stamp,
      };
      if (existing) existing.report = report;
      else
        this.#reports.set(`${repo}|${commit}|${reportId}`, { repo, commit, report, annotations: new Map() });
      return { status: 200, body: report };
    },
    getReport: (ctx, repo) => {
      const found = this.#reportOr404(ctx, repo);
      return "report" in found ? { status: 200, body: found.report } : found;
    },
    deleteReport: (ctx, repo) => {
      const found = this.#reportOr404(ctx, repo);
      if (!("report" in found)) return found;
      for (const [key, value] of this.#reports) if (value === found) this.#reports.delete(key);
      return { status: 204 };
    },
    getReportsForCommit: (ctx, repo) =>
      page(
        this.reports()
          .filter((r) => r.repo === repo && r.commit === ctx.params.commit)
          .map((r) => r.report),
        ctx,
      ),
    bulkCreateOrUpdateAnnotations: (ctx, repo) => {
      const found = this.#reportOr404(ctx, repo);
      if (!("report" in found)) return found;
      const inputs = Array.isArray(ctx.body) ? ctx.body.map(record) : [];
      const ids = inputs.map((input) => text(input.external_id) ?? uuid());
      const added = new Set(ids.filter((id) => !found.annotations.has(id))).size;
      if (found.annotations.size + added > MAX_ANNOTATIONS_PER_REPORT) {
        return error(
          400,
          `A report can hold at most ${MAX_ANNOTATIONS_PER_REPORT} annotations; this request would make it ${found.annotations.size + added}.`,
          "more than 1000 annotations on one report",
        );
      }
      return {
        status: 200,
        body: inputs.map((input, i) => this.#putAnnotation(found, input, ids[i] ?? uuid())),
      };
    },
    getAnnotationsForReport: (ctx, repo) => {
      const found = this.#reportOr404(ctx, repo);
      return "report" in found ? page([...found.annotations.values()], ctx) : found;
    },
    createOrUpdateAnnotation: (ctx, repo) => {
      const found = this.#reportOr404(ctx, repo);
      if (!("report" in found)) return found;
      const id = ctx.params.annotationId ?? "";
      if (!found.annotations.has(id) && found.annotations.size >= MAX_ANNOTATIONS_PER_REPORT) {
        return error(
          400,
          `A report can hold at most ${MAX_ANNOTATIONS_PER_REPORT} annotations.`,
          "more than 1000 annotations",
        );
      }
      return { status: 200, body: this.#putAnnotation(found, record(ctx.body), id) };
    },
    getAnnotation: (ctx, repo) => {
      const found = this.#reportOr404(ctx, repo);
      if (!("report" in found)) return found;
      const annotation = this.#annotationsOf(found, ctx.params.annotationId ?? "");
      return annotation
        ? { status: 200, body: annotation }
        : error(404, `No annotation ${ctx.params.annotationId}.`);
    },
    deleteAnnotation: (ctx, repo) => {
      const found = this.#reportOr404(ctx, repo);
      if (!("report" in found)) return found;
      const annotation = this.#annotationsOf(found, ctx.params.annotationId ?? "");
      if (!annotation) return error(404, `No annotation ${ctx.params.annotationId}.`);
      found.annotations.delete(String(annotation.external_id));
      return { status: 204 };
    },

    "GET /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}": (ctx, repo) => {
      const pr = this.#pullRequest(repo, ctx);
      return pr
        ? { status: 200, body: this.#pullRequestWire(repo, pr, ctx.origin) }
        : error(404, "No such pull request.");
    },
    "GET /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments": (ctx, repo) => {
      const pr = this.#pullRequest(repo, ctx);
      if (!pr) return error(404, "No such pull request.");
      const comments = this.#comments.filter((c) => c.repo === repo && c.prId === pr.id);
      return page(
        comments.map((c) => this.#commentWire(c, pr, ctx.origin)),
        ctx,
      );
    },
    "POST /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments": (ctx, repo) => {
      const pr = this.#pullRequest(repo, ctx);
      if (!pr) return error(404, "No such pull request.");
      const body = record(ctx.body);
      const raw = text(record(body.content).raw);
      if (raw === undefined || raw.trim() === "") {
        return error(400, "content.raw: This field is required.", "a comment needs content.raw");
      }
      const stamp = now();
      const inline = record(body.inline);
      const parent = Number(record(body.parent).id);
      const comment: StoredComment = {
        repo,
        prId: pr.id,
        id: this.#nextCommentId++,
        raw,
        deleted: false,
        createdOn: stamp,
        updatedOn: stamp,
        ...(Object.keys(inline).length > 0 ? { inline } : {}),
        ...(Number.isInteger(parent) ? { parent } : {}),
      };
      this.#comments.push(comment);
      return { status: 201, body: this.#commentWire(comment, pr, ctx.origin) };
    },
    "GET /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments/{comment_id}": (
      ctx,
      repo,
    ) => {
      const pr = this.#pullRequest(repo, ctx);
      const comment = this.#comment(repo, ctx);
      return pr && comment
        ? { status: 200, body: this.#commentWire(comment, pr, ctx.origin) }
        : error(404, "No such comment.");
    },
    "PUT /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments/{comment_id}": (
      ctx,
      repo,
    ) => {
      const pr = this.#pullRequest(repo, ctx);
      const comment = this.#comment(repo, ctx);
      if (!pr || !comment || comment.deleted) return error(404, "No such comment.");
      const raw = text(record(record(ctx.body).content).raw);
      if (raw === undefined || raw.trim() === "") {
        return error(400, "content.raw: This field is required.", "a comment needs content.raw");
      }
      comment.raw = raw;
      comment.updatedOn = now();
      return { status: 200, body: this.#commentWire(comment, pr, ctx.origin) };
    },
    "DELETE /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}/comments/{comment_id}": (
      ctx,
      repo,
    ) => {
      const comment = this.#comment(repo, ctx);
      if (!comment || comment.deleted) return error(404, "No such comment.");
      comment.deleted = true;
      return { status: 204 };
    },

    "POST /repositories/{workspace}/{repo_slug}/commit/{commit}/statuses/build": (ctx, repo) =>
      this.#putStatus(ctx, repo, 201),
    "PUT /repositories/{workspace}/{repo_slug}/commit/{commit}/statuses/build/{key}": (ctx, repo) => {
      const exists = this.#statuses.has(`${repo}|${ctx.params.commit}|${ctx.params.key}`);
      return exists ? this.#putStatus(ctx, repo, 200) : error(404, `No status ${ctx.params.key}.`);
    },
    "GET /repositories/{workspace}/{repo_slug}/commit/{commit}/statuses/build/{key}": (ctx, repo) => {
      const status = this.#statuses.get(`${repo}|${ctx.params.commit}|${ctx.params.key}`);
      return status ? { status: 200, body: status } : error(404, `No status ${ctx.params.key}.`);
    },
    "GET /repositories/{workspace}/{repo_slug}/commit/{commit}/statuses": (ctx, repo) =>
      page(
        this.statuses()
          .filter((s) => s.repo === repo && s.commit === ctx.params.commit)
          .map((s) => s.status),
        ctx,
      ),

    getPipelinesForRepository: (ctx, repo) =>
      page(this.#pipelines.filter((p) => p.repo === repo).map(wire), ctx),
    getPipelineForRepository: (ctx, repo) =>
      found(this.#pipelines, repo, ctx.params.pipeline_uuid, "pipeline"),
    getPipelineStepsForRepository: (ctx, repo) =>
      page(
        this.#steps.filter((s) => s.repo === repo && s.pipeline_uuid === ctx.params.pipeline_uuid).map(wire),
        ctx,
      ),
    getPipelineStepForRepository: (ctx, repo) =>
      found(
        this.#steps.filter((s) => s.pipeline_uuid === ctx.params.pipeline_uuid),
        repo,
        ctx.params.step_uuid,
        "step",
      ),
    getDeploymentsForRepository: (ctx, repo) =>
      page(this.#deployments.filter((d) => d.repo === repo).map(wire), ctx),
    getDeploymentForRepository: (ctx, repo) =>
      found(this.#deployments, repo, ctx.params.deployment_uuid, "deployment"),
    getEnvironmentsForRepository: (ctx, repo) =>
      page(this.#environments.filter((e) => e.repo === repo).map(wire), ctx),
    getEnvironmentForRepository: (ctx, repo) =>
      found(this.#environments, repo, ctx.params.environment_uuid, "environment"),

    getOIDCConfiguration: (ctx) => {
      const issuer = this.#oidcIssuer(ctx.params.workspace ?? "");
      return {
        status: 200,
        body: {
          issuer,
          jwks_uri: `${issuer}/keys.json`,
          subject_types_supported: ["public", "pairwise"],
          response_types_supported: ["id_token"],
          id_token_signing_alg_values_supported: ["RS256"],
          scopes_supported: ["openid"],
          claims_supported: [
            "sub",
            "aud",
            "iss",
            "iat",
            "exp",
            "workspaceUuid",
            "repositoryUuid",
            "pipelineUuid",
            "stepUuid",
            "branchName",
            "deploymentEnvironmentUuid",
          ],
        },
      };
    },
    getOIDCKeys: () => ({ status: 200, body: { keys: this.#oidcKeys } }),
  };
}

/** A stored resource as the API returns it: without the fake's own bookkeeping fields. */
function wire(resource: WireObject): WireObject {
  const { repo: _repo, pipeline_uuid: _pipeline, ...rest } = resource;
  return rest;
}

function found(
  resources: ReadonlyArray<WireObject & { repo: string }>,
  repo: string,
  id: string | undefined,
  what: string,
): Answer {
  const resource = resources.find((r) => r.repo === repo && r.uuid === id);
  return resource ? { status: 200, body: wire(resource) } : error(404, `No ${what} ${id}.`);
}

function escapeHtml(raw: string): string {
  return raw.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
