import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { layoutScans } from "../../src/ingest/layouts.ts";
import { type SarifLayout, scanLayoutFile } from "../../src/ingest/sarif-layout.ts";
import { localFixtures, sharedFixtures, until } from "./report-fixtures.ts";

const sarifFiles = readdirSync(path.join(sharedFixtures, "sarif"))
  .filter((name) => name.endsWith(".sarif"))
  .map((name) => path.join(sharedFixtures, "sarif", name));
// A native report too: its layout is "no results arrays", which the reader handles.
const files = [...sarifFiles, path.join(localFixtures, "semgrep-1.185.0.json")];

const plain = (layout: SarifLayout) => ({
  skeleton: layout.skeleton.toString("utf8"),
  results: Array.from(layout.results),
  unsure: layout.unsure,
});

describe("report layouts scanned on a second thread", () => {
  it("gives every file the layout the main thread would scan", async () => {
    expect(files.length).toBeGreaterThan(3);
    const scans = layoutScans(files, { cores: 2 });
    try {
      // Nothing asked yet: the thread claims and scans every file.
      await until(() => scans.fromThread() === files.length, "the layout thread posted nothing");
      for (const [index, file] of files.entries())
        expect(plain(await scans.layoutOf(index)), file).toEqual(plain(scanLayoutFile(file)));
    } finally {
      scans.close();
    }
  });

  it("scans on the main thread what the thread has not claimed, and everything when it cannot start", async () => {
    const eager = layoutScans(files, { cores: 2 });
    const first = await eager.layoutOf(0);
    expect(plain(first)).toEqual(plain(scanLayoutFile(files[0] as string)));
    eager.close();

    const missingScript = pathToFileURL(path.join(localFixtures, "no-such-worker.js"));
    const broken = layoutScans(files, { cores: 2, script: missingScript });
    try {
      for (const [index, file] of files.entries())
        expect(plain(await broken.layoutOf(index)), file).toEqual(plain(scanLayoutFile(file)));
      expect(broken.fromThread()).toBe(0);
    } finally {
      broken.close();
    }
  });

  it("raises the main thread's own error for a file the thread could not read", async () => {
    const gone = path.join(localFixtures, "removed-report.sarif");
    const scans = layoutScans([files[0] as string, gone], { cores: 2 });
    try {
      await until(() => scans.fromThread() === 2, "the layout thread posted nothing");
      await expect(scans.layoutOf(1)).rejects.toMatchObject({ code: "ENOENT", path: gone });
    } finally {
      scans.close();
    }
  });

  it("starts no thread for one file or one core", async () => {
    for (const scans of [layoutScans(files.slice(0, 1)), layoutScans(files, { cores: 1 })]) {
      expect(plain(await scans.layoutOf(0))).toEqual(plain(scanLayoutFile(files[0] as string)));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(scans.fromThread()).toBe(0);
      scans.close();
    }
  });
});
