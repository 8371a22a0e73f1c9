import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeUtf8, firstInvalidUtf8, invalidUtf8JsonProblem } from "./utf8.js";

const bytes = (...parts: (string | number[])[]) =>
  new Uint8Array(
    parts.flatMap((part) =>
      typeof part === "string" ? [...new TextEncoder().encode(part)] : part,
    ),
  );

describe("strict UTF-8", () => {
  it("decodes UTF-8 and refuses anything else, saying at which byte and line", () => {
    expect(decodeUtf8(bytes("café ✓ 𝄞"))).toEqual({ ok: true, text: "café ✓ 𝄞" });
    expect(decodeUtf8(bytes("a\nb", [0xff, 0xfe, 0xc3, 0x28]))).toEqual({
      ok: false,
      offset: 3,
      line: 2,
    });
    // Overlong "/", a UTF-16 surrogate, past U+10FFFF, a truncated sequence.
    for (const bad of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
      [0xe2, 0x82],
    ])
      expect(decodeUtf8(bytes("ok", bad))).toMatchObject({ ok: false, offset: 2 });
  });

  it("finds the first bad byte exactly where a strict TextDecoder fails", () => {
    const strict = new TextDecoder("utf-8", { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (input) => {
        let valid = true;
        try {
          strict.decode(input);
        } catch {
          valid = false;
        }
        const offset = firstInvalidUtf8(input);
        expect(offset === input.length).toBe(valid);
        if (!valid) expect(() => strict.decode(input.subarray(0, offset))).not.toThrow();
      }),
    );
  });

  it("names the JSON field that holds the bad bytes", () => {
    const body = bytes('{"items":[{"sku":"A"},{"sku":"B', [0xff], '"}]}');
    expect(invalidUtf8JsonProblem(body, 30).path).toBe("items[1].sku");
    expect(invalidUtf8JsonProblem(bytes('{"a":', [0xff]), 5)).toEqual({
      path: "",
      message: "the body is not valid UTF-8 at byte offset 5 — send text as UTF-8",
    });
  });
});
