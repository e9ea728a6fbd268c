/**
 * Cloud-agnostic checks of what a plan creates or changes: AWS and azurerm `tags`, Google `labels`
 * (required keys), `region`/`location` (allowed per cloud), and the resource's name (a pattern).
 * The built-in `terraform_data` stands in for a cloud resource when its `input` carries the
 * resource's attributes (`resource_type`, `name`, `tags`/`labels`, `region`/`location`), as in the
 * example layers. Values Terraform marks sensitive or does not know yet are not judged. Pure.
 */
import { type CloudProvider, type PlanAnalysis, type ResourceChange, SENSITIVE } from "@pipes/terraform";
import type { ValidationRules } from "./settings.ts";

export const VALIDATION_CHECKS = ["tags", "region", "naming"] as const;
export type ValidationCheck = (typeof VALIDATION_CHECKS)[number];

export interface ValidationProblem {
  check: ValidationCheck;
  address: string;
  message: string;
}

export interface ResourceShape {
  kind: string;
  name?: string;
  /** Tags or labels, whichever the resource has. */
  tags?: Record<string, unknown>;
  /** False for a type without tags or labels at all (a Google network): required keys do not apply. */
  taggable: boolean;
  region?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const known = (value: unknown): value is string => typeof value === "string" && value !== SENSITIVE;

export function resourceShape(change: ResourceChange): ResourceShape {
  // What will be, or for a delete what was.
  const after = isRecord(change.after) ? change.after : isRecord(change.before) ? change.before : {};
  const attributes = change.type === "terraform_data" && isRecord(after.input) ? after.input : after;
  const kind = known(attributes.resource_type) ? attributes.resource_type : change.type;
  const tags = isRecord(attributes.tags)
    ? attributes.tags
    : isRecord(attributes.labels)
      ? attributes.labels
      : undefined;
  // A zone names its region: `us-central1-a` is in `us-central1` (Google), `eu-west-1a` in `eu-west-1`.
  const zoneRegion = known(attributes.zone)
    ? attributes.zone.replace(/-[a-z]$/, "")
    : known(attributes.availability_zone)
      ? attributes.availability_zone.replace(/[a-z]$/, "")
      : undefined;
  const region = known(attributes.region)
    ? attributes.region
    : known(attributes.location)
      ? attributes.location
      : zoneRegion;
  // The resource's own name: `name` in most types, `bucket` (S3), `identifier` (RDS).
  const name = [attributes.name, attributes.bucket, attributes.identifier].find(known);
  // Real providers put `tags`/`labels` in every planned object of a taggable type, null when unset.
  const taggable = change.type === "terraform_data" || "tags" in attributes || "labels" in attributes;
  return {
    kind,
    taggable,
    ...(name ? { name } : {}),
    ...(tags ? { tags } : {}),
    ...(region ? { region } : {}),
  };
}

/** Problems of every managed resource the plan creates, updates or replaces. */
export function validatePlan(
  analysis: PlanAnalysis,
  provider: CloudProvider,
  rules: ValidationRules,
): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const allowed = (rules.allowed_regions[provider] ?? []).map((r) => r.toLowerCase());
  const pattern = rules.name_pattern ? new RegExp(rules.name_pattern) : undefined;
  const noun = provider === "gcp" ? "labels" : "tags";
  for (const change of analysis.changes) {
    if (change.mode !== "managed" || !["create", "update", "replace"].includes(change.action)) continue;
    const shape = resourceShape(change);
    // A resource with neither tags, region nor name is not a cloud resource the rules are about.
    if (!shape.tags && !shape.region && !shape.name) continue;
    if (rules.required_tags.length > 0 && shape.taggable) {
      const missing = rules.required_tags.filter((key) => {
        const value = shape.tags?.[key];
        return value === undefined || value === null || value === "";
      });
      if (missing.length > 0)
        problems.push({
          check: "tags",
          address: change.address,
          message: `${shape.kind} lacks the required ${noun} ${missing.join(", ")}`,
        });
    }
    if (allowed.length > 0 && shape.region && !allowed.includes(shape.region.toLowerCase()))
      problems.push({
        check: "region",
        address: change.address,
        message: `${shape.kind} is in ${shape.region}, not one of the allowed ${provider} ${provider === "aws" ? "regions" : "locations"} (${(rules.allowed_regions[provider] ?? []).join(", ")})`,
      });
    if (pattern && shape.name && !pattern.test(shape.name))
      problems.push({
        check: "naming",
        address: change.address,
        message: `${shape.kind} name "${shape.name}" does not match ${rules.name_pattern}`,
      });
  }
  return problems;
}
