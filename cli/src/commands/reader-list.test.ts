import { PassThrough } from "node:stream";
import type { ListedPort, PortSources } from "@comptoir/device";
import { describe, expect, it } from "vitest";
import type { CliIO } from "../command.js";
import { readerListCommand } from "./reader-list.js";

function io(): { io: CliIO; out: () => string } {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
  return {
    io: {
      stdout,
      stderr: new PassThrough(),
      env: {},
      verbose: false,
      waitForStop: () => new Promise(() => {}),
    },
    out: () => Buffer.concat(chunks).toString("utf8"),
  };
}

const sources = (listed: ListedPort[]): PortSources => ({
  list: async () => listed,
  byId: async () => [
    {
      link: "/dev/serial/by-id/usb-FTDI_FT231X_USB_UART_DN05ABCD-if00-port0",
      target: "/dev/ttyUSB0",
    },
  ],
});

const FTDI: ListedPort = {
  path: "/dev/ttyUSB0",
  manufacturer: "FTDI",
  vendorId: "0403",
  productId: "6015",
  serialNumber: "DN05ABCD",
};

describe("comptoir reader list", () => {
  it("prints each port with its ids, stable path and the udev line to copy", async () => {
    const { io: cli, out } = io();
    const code = await readerListCommand(sources([FTDI])).run({
      values: {},
      positionals: [],
      io: cli,
    });
    expect(code).toBe(0);
    expect(out()).toBe(
      [
        "/dev/ttyUSB0  0403:6015  FTDI  serial DN05ABCD",
        "  stable path: /dev/serial/by-id/usb-FTDI_FT231X_USB_UART_DN05ABCD-if00-port0",
        "  udev line for /dev/comptoir/reader-DN05ABCD:",
        '  SUBSYSTEM=="tty", ATTRS{idVendor}=="0403", ATTRS{idProduct}=="6015", ATTRS{serial}=="DN05ABCD", GROUP="dialout", MODE="0660", ENV{ID_MM_DEVICE_IGNORE}="1", SYMLINK+="comptoir/reader-DN05ABCD"',
        "",
      ].join("\n"),
    );
  });

  it("--json prints the same as data", async () => {
    const { io: cli, out } = io();
    await readerListCommand(sources([FTDI])).run({
      values: { json: true },
      positionals: [],
      io: cli,
    });
    const [port] = JSON.parse(out());
    expect(port).toMatchObject({
      path: "/dev/ttyUSB0",
      serialNumber: "DN05ABCD",
      stablePath: "/dev/serial/by-id/usb-FTDI_FT231X_USB_UART_DN05ABCD-if00-port0",
      comptoirPath: "/dev/comptoir/reader-DN05ABCD",
    });
  });

  it("says when there is no port, and why it could not list them", async () => {
    const { io: cli, out } = io();
    expect(await readerListCommand(sources([])).run({ values: {}, positionals: [], io: cli })).toBe(
      0,
    );
    expect(out()).toContain("no serial ports found");
    const failing: PortSources = {
      list: async () => {
        throw new Error("spawn udevadm ENOENT");
      },
      byId: async () => [],
    };
    await expect(
      readerListCommand(failing).run({ values: {}, positionals: [], io: io().io }),
    ).rejects.toThrow(/cannot list the serial ports: spawn udevadm ENOENT — serialport asks udev/);
  });
});
