/**
 * One pull-request comment per pipe that each run updates instead of adding another ("sticky").
 *
 * The comment is found again by a marker in its raw text. The marker is a Markdown link reference
 * definition, `[//]: # (bitbucket-pipes:security-gate)`, which every Markdown renderer hides. An
 * HTML comment would be kept in `content.raw` too, but Bitbucket Cloud does not pass raw HTML through
 * its Markdown, so it risks being shown as text. Danger JS marks its Bitbucket Cloud comments the
 * same way (`[//]: # (danger-id-...)`).
 */
import { InputError } from "@pipes/core";
import { z } from "zod";
import type { BitbucketClient } from "./client.ts";
import { type PullRequestRef, repositoryPath } from "./repository.ts";

const comment = z.object({
  id: z.number(),
  content: z.object({ raw: z.string().optional() }).optional(),
  deleted: z.boolean().optional(),
  /** Set on comments anchored to a line of the diff; the sticky comment is a top-level one. */
  inline: z.unknown().optional(),
});

export interface StickyComment {
  id: number;
  raw: string;
}

export type StickyCommentAction = "created" | "updated" | "unchanged";

export interface StickyCommentResult {
  action: StickyCommentAction;
  commentId: number;
}

/** The hidden first line that identifies a pipe's comment; `key` is usually the pipe's name. */
export function stickyMarker(key: string): string {
  if (!/^[A-Za-z0-9][\w./-]*$/.test(key)) {
    throw new InputError(
      `The sticky comment key "${key}" may hold only letters, digits, ".", "/", "_" and "-".`,
    );
  }
  return `[//]: # (bitbucket-pipes:${key})`;
}

/** The comment's raw text: the marker, a blank line (so it stays a definition), then the Markdown. */
export function stickyCommentText(key: string, markdown: string): string {
  return `${stickyMarker(key)}\n\n${markdown}`;
}

export function isStickyComment(raw: string, key: string): boolean {
  return raw.split(/\r?\n/).some((line) => line.trim() === stickyMarker(key));
}

function commentsPath(pr: PullRequestRef, ...rest: Array<string | number>): string {
  return repositoryPath(pr, "pullrequests", pr.prId, "comments", ...rest);
}

/** The pipe's comment on the pull request, searched across every page; the oldest if there are several. */
export async function findStickyComment(
  client: BitbucketClient,
  pr: PullRequestRef,
  key: string,
): Promise<StickyComment | undefined> {
  for await (const found of client.paginate(commentsPath(pr), comment)) {
    const raw = found.content?.raw ?? "";
    if (!found.deleted && found.inline == null && isStickyComment(raw, key)) return { id: found.id, raw };
  }
  return undefined;
}

/** Creates the pipe's comment the first time, then updates it in place (left alone when unchanged). */
export async function upsertStickyComment(
  client: BitbucketClient,
  pr: PullRequestRef,
  key: string,
  markdown: string,
): Promise<StickyCommentResult> {
  const raw = stickyCommentText(key, markdown);
  const body = { content: { raw } };
  const existing = await findStickyComment(client, pr, key);
  if (existing?.raw === raw) return { action: "unchanged", commentId: existing.id };
  if (existing) {
    await client.call({ method: "PUT", path: commentsPath(pr, existing.id), body, response: comment });
    return { action: "updated", commentId: existing.id };
  }
  // Not retried after a lost connection: the comment may exist already, and the next run finds it.
  const created = await client.call({ method: "POST", path: commentsPath(pr), body, response: comment });
  return { action: "created", commentId: created.id };
}
