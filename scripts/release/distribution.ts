/**
 * The files of a pipe's distribution repository, the repository a consumer names in
 * `pipe: workspace/name:1.2.3`: Bitbucket reads `pipe.yml` at that git tag and runs its `image:`.
 * Made from the pipe's folder in this repository: pipe.yml with the released image, the README
 * with its YAML definition naming the version, the CHANGELOG, and the image's SBOM.
 */
import { parseDocument } from "yaml";

export const SBOM_FILE = "sbom.cdx.json";

/** The generated pipe.yml with `image:` set to the released image, and a header saying where it comes from. */
export function distributionPipeYml(generated: string, image: string, pipeName: string): string {
  const document = parseDocument(generated);
  if (document.errors.length > 0) throw new Error(`pipe.yml of ${pipeName}: ${document.errors[0]?.message}`);
  document.set("image", image);
  document.commentBefore = ` Published by \`npm run release\` from pipes/${pipeName} of the pipes monorepo: change it there.`;
  return document.toString({ lineWidth: 0 });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Every `pipe: <reference>:<tag>` of a Markdown text (the YAML definition) set to `version`. */
export function withPipeVersion(markdown: string, reference: string, version: string): string {
  const pattern = new RegExp(`(pipe:\\s*)${escapeRegExp(reference)}:[\\w.-]+`, "g");
  return markdown.replace(pattern, `$1${reference}:${version}`);
}

/** Whether a README shows consumers a `pipe: <reference>:<tag>` line. */
export function hasYamlDefinition(markdown: string, reference: string): boolean {
  return new RegExp(`pipe:\\s*${escapeRegExp(reference)}:`).test(markdown);
}

export interface PipeFolderFiles {
  pipeYml: string;
  readme: string;
  changelog: string;
}

/** The distribution repository's files at a release: file name → content. */
export function distributionFiles(
  files: PipeFolderFiles,
  release: { pipeName: string; reference: string; version: string; image: string; sbom: string },
): Record<string, string> {
  return {
    "pipe.yml": distributionPipeYml(files.pipeYml, release.image, release.pipeName),
    "README.md": withPipeVersion(files.readme, release.reference, release.version),
    "CHANGELOG.md": files.changelog,
    [SBOM_FILE]: release.sbom,
  };
}
