import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { ToolError } from "../src/errors.ts";
import { Logger } from "../src/log.ts";
import { runTool } from "../src/process.ts";

function logger(env: Record<string, string> = {}) {
  const out = new PassThrough();
  let text = "";
  out.on("data", (c) => (text += c));
  return { log: new Logger({ env: { NO_COLOR: "1", ...env }, stdout: out, stderr: out }), text: () => text };
}

describe("running wrapped tools", () => {
  it("says which tool and version the image should have had when it is missing", async () => {
    const { log } = logger();
    const error = await runTool(
      { tool: "checkov-not-installed", args: [], expectedVersion: "3.3.30" },
      log,
    ).catch((e) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect(error.message).toBe(
      "checkov-not-installed was not found on PATH; this image should contain checkov-not-installed 3.3.30",
    );
    expect(error.code).toBe("TOOL_NOT_FOUND");
  });

  it("kills a tool that runs past its timeout", async () => {
    const { log } = logger();
    const error = await runTool({ tool: "sleep", args: ["5"], timeoutMs: 300 }, log).catch((e) => e);
    expect(error.message).toBe("sleep timed out after 300ms");
  });

  it("treats a scanner's 'found something' exit code as a result, other codes as failures", async () => {
    const { log } = logger();
    const found = await runTool({ tool: "sh", args: ["-c", "echo out; exit 1"], okExitCodes: [0, 1] }, log);
    expect(found).toMatchObject({ exitCode: 1, stdout: "out\n" });
    const crash = await runTool(
      { tool: "sh", args: ["-c", "echo broken >&2; exit 2"], okExitCodes: [0, 1] },
      log,
    ).catch((e) => e);
    expect(crash.message).toBe("sh exited with code 2:\nbroken");
  });

  it("streams the tool's output line by line with secrets masked", async () => {
    const { log, text } = logger();
    log.masker.add("topsecret-42");
    await runTool(
      { tool: "sh", args: ["-c", "printf 'a topsecret-42\\nb'"], stream: true, prefix: "[t] " },
      log,
    );
    expect(text()).toBe("[t] a ****\n[t] b\n");
  });
});
