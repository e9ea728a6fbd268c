import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { Logger } from "../src/log.ts";

function capture(env: Record<string, string> = {}) {
  const out = new PassThrough();
  const err = new PassThrough();
  let text = "";
  out.on("data", (c) => (text += c));
  err.on("data", (c) => (text += c));
  const log = new Logger({ env: { NO_COLOR: "1", ...env }, stdout: out, stderr: err });
  return { log, text: () => text };
}

describe("pipe logging", () => {
  it("masks secrets in every line, also URL-encoded and base64 forms", () => {
    const { log, text } = capture();
    log.masker.add("s3cr3t/value+1");
    log.info("token=s3cr3t/value+1");
    log.output(`curl https://x/?t=${encodeURIComponent("s3cr3t/value+1")}`);
    log.warn(`basic ${Buffer.from("s3cr3t/value+1").toString("base64")}`);
    expect(text()).not.toContain("s3cr3t");
    expect(text()).not.toContain(Buffer.from("s3cr3t/value+1").toString("base64"));
    expect(text().match(/\*\*\*\*/g)).toHaveLength(3);
  });

  it("prints debug lines only with DEBUG=true", () => {
    const quiet = capture();
    quiet.log.debug("hidden detail");
    expect(quiet.text()).toBe("");
    const loud = capture({ DEBUG: "true" });
    loud.log.debug("hidden detail");
    expect(loud.text()).toContain("[debug] hidden detail");
  });

  it("closes a group even when its work throws, indenting what is inside", async () => {
    const { log, text } = capture();
    await expect(
      log.group("checkov", async () => {
        log.info("scanning");
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    log.info("after");
    expect(text()).toMatch(/▼ checkov\n {2}scanning\n▲ checkov \(\d+\.\ds\)\nafter\n/);
  });

  it("uses colours unless NO_COLOR is set", () => {
    const coloured = new Logger({ env: { FORCE_COLOR: "1" }, stdout: new PassThrough() });
    expect(coloured.paint("red", "x")).toBe("\u001b[31mx\u001b[0m");
    expect(capture().log.paint("red", "x")).toBe("x");
  });
});
