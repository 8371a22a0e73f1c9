import { describe, expect, it } from "vitest";
import { stripUserinfo } from "./url-userinfo.js";

describe("stripUserinfo", () => {
  it("drops user and password from URLs, wherever they sit in a text", () => {
    expect(stripUserinfo("mqtts://gw:s3cret@broker.local:8883")).toBe("mqtts://broker.local:8883");
    expect(stripUserinfo("mqtt://only-user@broker")).toBe("mqtt://broker");
    expect(stripUserinfo("cannot reach mqtt://a:b@h:1883 (refused)")).toBe(
      "cannot reach mqtt://h:1883 (refused)",
    );
    expect(stripUserinfo("mqtt://p%40ss:w%3Ard@h")).toBe("mqtt://h");
  });

  it("leaves a URL without userinfo as it is", () => {
    expect(stripUserinfo("mqtt://127.0.0.1:1883")).toBe("mqtt://127.0.0.1:1883");
    expect(stripUserinfo("see https://example.org/a@b")).toBe("see https://example.org/a@b");
  });
});
