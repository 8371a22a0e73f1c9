import { SerialPortMock } from "serialport";
import { describe, expect, it } from "vitest";
import { openTransport } from "./index.js";
import { ReaderOpenError } from "./types.js";

const binding = SerialPortMock.binding;

describe("serial transport over MockBinding", () => {
  it("carries bytes both ways and reports our own close as not disconnected", async () => {
    binding.reset();
    binding.createPort("/dev/ttyUSB0", { echo: true });
    const transport = await openTransport("serial:///dev/ttyUSB0", { defaultBaud: 9600, binding });
    const received: Buffer[] = [];
    transport.on("data", (chunk) => received.push(chunk));
    await transport.write(Uint8Array.of(0xa0, 0x03));
    while (Buffer.concat(received).length < 2)
      await new Promise((resolve) => setTimeout(resolve, 5));
    expect(Buffer.concat(received)).toEqual(Buffer.from([0xa0, 0x03]));
    const closed = new Promise((resolve) => transport.once("close", resolve));
    await transport.close();
    expect(await closed).toEqual({ disconnected: false, reason: undefined });
  });

  it("says the port is in use by another process when it is locked", async () => {
    binding.reset();
    binding.createPort("/dev/ttyUSB1");
    const first = await openTransport("serial:///dev/ttyUSB1?baud=115200", {
      defaultBaud: 9600,
      binding,
    });
    const second = openTransport("serial:///dev/ttyUSB1?baud=115200", {
      defaultBaud: 9600,
      binding,
    });
    await expect(second).rejects.toThrow(
      /cannot open \/dev\/ttyUSB1: the port is in use by another process — stop it \(see: fuser \/dev\/ttyUSB1\)/,
    );
    await expect(second).rejects.toMatchObject({ failure: "locked" });
    await first.close();
  });

  it("explains permission denied with the dialout group and the udev rule", async () => {
    const denying: typeof binding = {
      ...binding,
      open: () => Promise.reject(new Error("Error: Permission denied, cannot open /dev/ttyACM0")),
    };
    const opening = openTransport("serial:///dev/ttyACM0", {
      defaultBaud: 115200,
      binding: denying,
    });
    await expect(opening).rejects.toBeInstanceOf(ReaderOpenError);
    await expect(opening).rejects.toThrow(
      "cannot open /dev/ttyACM0: permission denied — add the user to the dialout group or use a udev rule (see firmware-config/udev)",
    );
  });
});
