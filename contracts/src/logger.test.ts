import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, stream };
}

describe("logger", () => {
  it("names the module of each child and never writes secrets", () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: "info" }, stream).child({ module: "ledger" });
    log.info(
      { mqtt: { url: "mqtt://gw", password: "hunter2" }, token: "abc", pin: "1234" },
      "connected",
    );
    expect(lines[0]).toMatchObject({
      module: "ledger",
      msg: "connected",
      mqtt: { url: "mqtt://gw", password: "[redacted]" },
    });
    expect(lines[0]).toMatchObject({ token: "[redacted]", pin: "[redacted]" });
    expect(JSON.stringify(lines)).not.toMatch(/hunter2|1234/);
  });

  it("writes nothing below its level", () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: "warn" }, stream);
    log.info("quiet");
    log.warn("loud");
    expect(lines.map((line) => line.msg)).toEqual(["loud"]);
  });
});
