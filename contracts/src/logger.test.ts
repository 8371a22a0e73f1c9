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

  it("redacts secrets at any depth, in child bindings, and the userinfo of URLs", () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: "info" }, stream).child({
      module: "bus",
      broker: { options: { auth: { password: "bound-secret" } } },
    });
    log.info(
      {
        config: {
          mqtt: { external: { password: "deep-secret", url: "mqtts://gw:pw-in-url@host:8883" } },
        },
        nodes: [{ id: "dock-1", credentials: { secret: "node-secret" } }],
        Authorization: "Bearer ct_header",
        enrollment: { mqttPassword: "suffix-secret", apiToken: "ct_suffix" },
      },
      "started",
    );
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/bound-secret|deep-secret|pw-in-url|node-secret|ct_header|suffix/);
    expect(lines[0]).toMatchObject({
      config: { mqtt: { external: { password: "[redacted]", url: "mqtts://host:8883" } } },
      nodes: [{ id: "dock-1", credentials: { secret: "[redacted]" } }],
    });
  });

  it("writes nothing below its level", () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: "warn" }, stream);
    log.info("quiet");
    log.warn("loud");
    expect(lines.map((line) => line.msg)).toEqual(["loud"]);
  });
});
