import { describe, expect, it } from "vitest";
import { parseReaderUrl } from "./url.js";

describe("parseReaderUrl", () => {
  it("reads a serial path and its baud rate", () => {
    expect(
      parseReaderUrl("serial:///dev/serial/by-id/usb-FTDI_FT232R-if00-port0?baud=115200"),
    ).toEqual({
      kind: "serial",
      path: "/dev/serial/by-id/usb-FTDI_FT232R-if00-port0",
      baudRate: 115200,
      url: "serial:///dev/serial/by-id/usb-FTDI_FT232R-if00-port0?baud=115200",
    });
    expect(parseReaderUrl("serial:///dev/ttyUSB0")).toMatchObject({
      path: "/dev/ttyUSB0",
      baudRate: undefined,
    });
  });

  it("reads a tcp host and port", () => {
    expect(parseReaderUrl("tcp://192.168.1.50:4001")).toMatchObject({
      kind: "tcp",
      host: "192.168.1.50",
      port: 4001,
    });
    expect(parseReaderUrl("tcp://[::1]:4001")).toMatchObject({ host: "::1", port: 4001 });
  });

  it.each([
    ["/dev/ttyUSB0", /not a reader URL — use serial:\/\/\/dev/],
    ["usb:///dev/ttyUSB0", /unknown scheme "usb"/],
    ["serial://dev/ttyUSB0", /three slashes/],
    ["serial:///dev/ttyUSB0?baud=115201", /baud must be one of .*115200/],
    ["serial:///dev/ttyUSB0?speed=9600", /unknown option "speed"/],
    ["tcp://reader.local", /no port — like tcp:\/\/reader.local:4001/],
    ["tcp://reader.local:4001/x", /only host and port/],
  ])("refuses %s with a clear message", (url, message) => {
    expect(() => parseReaderUrl(url)).toThrow(message);
  });
});
