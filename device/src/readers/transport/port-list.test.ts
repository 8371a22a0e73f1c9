import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SerialPortMock } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import {
  describeSerialPorts,
  type ListedPort,
  sysfsSerialPorts,
  udevRuleFor,
} from "./port-list.js";

const MockBinding = SerialPortMock.binding;

const FTDI_LINK = "/dev/serial/by-id/usb-FTDI_FT231X_USB_UART_DN05ABCD-if00-port0";

function sources(listed: ListedPort[], byId = [{ link: FTDI_LINK, target: "/dev/ttyUSB1" }]) {
  return { list: async () => listed, byId: async () => byId };
}

afterEach(() => MockBinding.reset());

describe("describeSerialPorts", () => {
  it("gives each port its ids, its by-id path and the udev line naming it by serial number", async () => {
    const ports = await describeSerialPorts(
      sources([
        { path: "/dev/ttyUSB10", vendorId: "10C4", productId: "ea60", serialNumber: "0001" },
        {
          path: "/dev/ttyUSB1",
          manufacturer: "FTDI",
          vendorId: "0403",
          productId: "6015",
          serialNumber: "DN05ABCD",
        },
      ]),
    );
    // Sorted as a person reads them: ttyUSB1 before ttyUSB10.
    expect(ports.map((port) => port.path)).toEqual(["/dev/ttyUSB1", "/dev/ttyUSB10"]);
    expect(ports[0]).toEqual({
      path: "/dev/ttyUSB1",
      vendorId: "0403",
      productId: "6015",
      manufacturer: "FTDI",
      serialNumber: "DN05ABCD",
      stablePath: FTDI_LINK,
      comptoirPath: "/dev/comptoir/reader-DN05ABCD",
      udevRule:
        'SUBSYSTEM=="tty", ATTRS{idVendor}=="0403", ATTRS{idProduct}=="6015", ATTRS{serial}=="DN05ABCD", GROUP="dialout", MODE="0660", ENV{ID_MM_DEVICE_IGNORE}="1", SYMLINK+="comptoir/reader-DN05ABCD"',
    });
    // Ids as udev writes them (lower case), and no by-id link where udev made none.
    expect(ports[1]).toMatchObject({ vendorId: "10c4", stablePath: null, manufacturer: null });
  });

  it("gives no udev line to a port without a USB serial number or without USB ids", async () => {
    const ports = await describeSerialPorts(
      sources([
        { path: "/dev/ttyUSB0", manufacturer: "1a86", vendorId: "1a86", productId: "7523" },
        { path: "/dev/ttyAMA0" },
      ]),
    );
    expect(ports.map((port) => [port.path, port.udevRule, port.comptoirPath])).toEqual([
      ["/dev/ttyAMA0", null, null],
      ["/dev/ttyUSB0", null, null],
    ]);
  });

  it("reads the list from a serialport binding (MockBinding here, the system's when run)", async () => {
    MockBinding.createPort("/dev/ttyACM0", { manufacturer: "Impinj", vendorId: "2a2b" });
    const ports = await describeSerialPorts({
      list: () => MockBinding.list(),
      byId: async () => [],
    });
    expect(ports).toHaveLength(1);
    expect(ports[0]).toMatchObject({
      path: "/dev/ttyACM0",
      manufacturer: "Impinj",
      vendorId: "2a2b",
    });
  });
});

describe("udevRuleFor", () => {
  it("refuses a serial number udev would read as a pattern, which could match other adapters", () => {
    const ids = { vendorId: "0403", productId: "6001" };
    expect(udevRuleFor({ ...ids, serialNumber: "A*" }, "reader-A")).toBeNull();
    expect(udevRuleFor({ ...ids, serialNumber: "A1" }, "dock-1")).toContain(
      'ATTRS{serial}=="A1", GROUP="dialout"',
    );
  });
});

describe("sysfsSerialPorts (where udevadm is missing)", () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
    root = undefined;
  });

  it("reads a USB adapter's ids and serial number from the USB device above its tty, as udev does", async () => {
    root = await mkdtemp(join(tmpdir(), "comptoir-sysfs-"));
    // A USB device, its interface, the tty under it; class/tty links to the tty's device.
    const usb = join(root, "devices", "usb1", "1-1");
    const tty = join(usb, "1-1:1.0", "ttyUSB0");
    await mkdir(tty, { recursive: true });
    const attrs = { idVendor: "0403", idProduct: "6015", serial: "DN05ABCD", manufacturer: "FTDI" };
    for (const [file, value] of Object.entries(attrs))
      await writeFile(join(usb, file), `${value}\n`);
    const classTty = join(root, "class", "tty");
    await mkdir(join(classTty, "ttyUSB0"), { recursive: true });
    await symlink(tty, join(classTty, "ttyUSB0", "device"));
    await mkdir(join(classTty, "tty0"));
    expect(await sysfsSerialPorts(classTty)).toEqual([
      {
        path: "/dev/ttyUSB0",
        vendorId: "0403",
        productId: "6015",
        serialNumber: "DN05ABCD",
        manufacturer: "FTDI",
      },
    ]);
    expect(await sysfsSerialPorts(join(root, "nothing"))).toBeUndefined();
  });
});
