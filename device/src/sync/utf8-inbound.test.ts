import { describe, expect, it } from "vitest";
import { readCommand } from "./inbound.js";

/** Issue 13, item 18: a message from the gateway that is not UTF-8 is refused, not read lossily. */
describe("inbound MQTT messages are UTF-8", () => {
  it("refuses a dock order whose bytes are not UTF-8, saying so", () => {
    const head = Buffer.from('{"type":"dock-order","order":"SO-');
    const payload = Buffer.concat([
      head,
      Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
      Buffer.from('","customer":null}'),
    ]);
    expect(readCommand(payload, 0)).toEqual({
      ok: false,
      problem: `not UTF-8 (byte offset ${head.length})`,
    });
  });
});
