/**
 * Code Insights on the API: one idempotent PUT of the report, then its annotations in bulk, the most
 * severe first. https://developer.atlassian.com/cloud/bitbucket/rest/api-group-reports/
 */
import { z } from "zod";
import type { BitbucketClient } from "./client.ts";
import {
  CODE_INSIGHTS_LIMITS,
  type InsightAnnotation,
  type InsightReport,
  inBatches,
  selectAnnotations,
  toWireAnnotation,
  toWireReport,
  type WireAnnotation,
} from "./code-insights.ts";
import { type CommitRef, repositoryPath } from "./repository.ts";

function reportPath(commit: CommitRef, reportId: string, ...rest: string[]): string {
  return repositoryPath(commit, "commit", commit.commit, "reports", reportId, ...rest);
}

/** Creates or replaces the report: a second PUT with the same id updates it in place. */
export async function putReport(
  client: BitbucketClient,
  commit: CommitRef,
  report: InsightReport,
): Promise<void> {
  await client.call({
    method: "PUT",
    path: reportPath(commit, report.id),
    body: toWireReport(report),
    response: z.unknown(),
  });
}

export async function deleteReport(
  client: BitbucketClient,
  commit: CommitRef,
  reportId: string,
): Promise<void> {
  await client.call({ method: "DELETE", path: reportPath(commit, reportId), response: z.unknown() });
}

/**
 * Creates or updates up to 100 annotations. Safe to retry: annotations are matched on external_id, so
 * a repeated batch updates rather than duplicates.
 */
export async function postAnnotations(
  client: BitbucketClient,
  commit: CommitRef,
  reportId: string,
  batch: readonly WireAnnotation[],
): Promise<void> {
  await client.call({
    method: "POST",
    path: reportPath(commit, reportId, "annotations"),
    body: batch,
    response: z.unknown(),
    idempotent: true,
  });
}

export interface PublishedInsights {
  reportId: string;
  annotationsSent: number;
  /** Annotations left out because a report holds at most 1000. */
  annotationsOmitted: number;
}

/** The report, then its most severe 1000 annotations in batches of 100. */
export async function publishCodeInsights(
  client: BitbucketClient,
  commit: CommitRef,
  report: InsightReport,
  annotations: readonly InsightAnnotation[] = [],
): Promise<PublishedInsights> {
  await putReport(client, commit, report);
  const { kept, omitted } = selectAnnotations(annotations);
  for (const batch of inBatches(kept.map(toWireAnnotation), CODE_INSIGHTS_LIMITS.annotationsPerRequest)) {
    await postAnnotations(client, commit, report.id, batch);
  }
  return { reportId: report.id, annotationsSent: kept.length, annotationsOmitted: omitted };
}
