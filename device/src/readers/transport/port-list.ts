import { readdir, readFile, realpath } from "node:fs/promises";
import { dirname, join } from "node:path";

/** What serialport's `SerialPort.list()` says of one port (the fields used here). */
export interface ListedPort {
  path: string;
  manufacturer?: string | undefined;
  serialNumber?: string | undefined;
  vendorId?: string | undefined;
  productId?: string | undefined;
}

/** Where the ports come from: the system's by default, a fixed list in tests. */
export interface PortSources {
  /** `SerialPort.list()`. */
  list(): Promise<ListedPort[]>;
  /** The /dev/serial/by-id links: each link's path and the device it points to. */
  byId(): Promise<{ link: string; target: string }[]>;
}

/** One serial port, for an installer choosing what to write in a node config. */
export interface SerialPortView {
  path: string;
  vendorId: string | null;
  productId: string | null;
  manufacturer: string | null;
  serialNumber: string | null;
  /** /dev/serial/by-id/… when udev made one: survives replugging in another order. */
  stablePath: string | null;
  /** /dev/comptoir/<name> the udev line below gives (null without one). */
  comptoirPath: string | null;
  /** The line for /etc/udev/rules.d/99-comptoir-readers.rules; null without a USB serial number. */
  udevRule: string | null;
}

const BY_ID = "/dev/serial/by-id";

/** The system's ports: serialport's list (which asks udev) and the by-id links. */
export const systemPortSources: PortSources = {
  async list() {
    const { SerialPort } = await import("serialport");
    // serialport asks udevadm, absent from minimal images and containers: then read
    // what udev would have read, from sysfs.
    return SerialPort.list().catch(async (error: unknown) => {
      const fromSysfs = await sysfsSerialPorts();
      if (fromSysfs === undefined) throw error;
      return fromSysfs;
    });
  },
  async byId() {
    let names: string[];
    try {
      names = await readdir(BY_ID);
    } catch {
      return [];
    }
    const links = await Promise.all(
      names.sort().map(async (name) => {
        const link = join(BY_ID, name);
        return { link, target: await realpath(link).catch(() => link) };
      }),
    );
    return links;
  },
};

const SYS_TTY = "/sys/class/tty";

/**
 * USB and on-board UARTs from /sys/class/tty (or `root`), with the USB
 * device's attributes, as udev reads them; undefined without that directory.
 */
export async function sysfsSerialPorts(root = SYS_TTY): Promise<ListedPort[] | undefined> {
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    return undefined;
  }
  const ports = names
    .filter((name) => /^tty(USB|ACM|AMA)\d+$/.test(name))
    .map(async (name): Promise<ListedPort> => {
      const port: ListedPort = { path: join("/dev", name) };
      // The tty's device, then up its parents to the USB device that has idVendor.
      let dir = await realpath(join(root, name, "device")).catch(() => undefined);
      for (let up = 0; dir && up < 6 && dir !== "/sys"; up++, dir = dirname(dir)) {
        const attr = (file: string) =>
          readFile(join(dir as string, file), "utf8").then(
            (text) => text.trim(),
            () => undefined,
          );
        const vendorId = await attr("idVendor");
        if (vendorId === undefined) continue;
        return {
          ...port,
          vendorId,
          productId: await attr("idProduct"),
          serialNumber: await attr("serial"),
          manufacturer: await attr("manufacturer"),
        };
      }
      return port;
    });
  return Promise.all(ports);
}

/** A name udev accepts in SYMLINK+= and a shell needs no quotes for. */
function symlinkName(serial: string): string {
  return `reader-${serial.replace(/[^A-Za-z0-9._-]/g, "_")}`;
}

/**
 * The udev line that names this port /dev/comptoir/<name> by its USB ids and
 * serial number, in the style of firmware-config/udev/99-comptoir-readers.rules
 * (dialout 0660, ModemManager kept off). Without a serial number two adapters
 * of the same model cannot be told apart: no line.
 */
export function udevRuleFor(
  port: Pick<SerialPortView, "vendorId" | "productId" | "serialNumber">,
  name: string,
): string | null {
  if (!port.vendorId || !port.productId || !port.serialNumber) return null;
  // udev compares ATTRS{serial} as a glob: *, ? and [ would match other adapters too.
  if (/[*?[\]"\\]/.test(port.serialNumber)) return null;
  return [
    'SUBSYSTEM=="tty"',
    `ATTRS{idVendor}=="${port.vendorId}"`,
    `ATTRS{idProduct}=="${port.productId}"`,
    `ATTRS{serial}=="${port.serialNumber}"`,
    'GROUP="dialout"',
    'MODE="0660"',
    'ENV{ID_MM_DEVICE_IGNORE}="1"',
    `SYMLINK+="comptoir/${name}"`,
  ].join(", ");
}

const hexId = (id: string | undefined) =>
  id && /^(0x)?[0-9a-f]{1,4}$/i.test(id)
    ? id.replace(/^0x/i, "").toLowerCase().padStart(4, "0")
    : null;
const text = (value: string | undefined) => (value?.trim() ? value.trim() : null);

/** Every serial port with its ids, stable path and udev line, sorted by path. */
export async function describeSerialPorts(
  sources: PortSources = systemPortSources,
): Promise<SerialPortView[]> {
  const [listed, links] = await Promise.all([sources.list(), sources.byId()]);
  return listed
    .map((port): SerialPortView => {
      const serialNumber = text(port.serialNumber);
      const ids = {
        vendorId: hexId(port.vendorId),
        productId: hexId(port.productId),
        serialNumber,
      };
      const name = serialNumber ? symlinkName(serialNumber) : "";
      const udevRule = udevRuleFor(ids, name);
      return {
        path: port.path,
        ...ids,
        manufacturer: text(port.manufacturer),
        stablePath: links.find((entry) => entry.target === port.path)?.link ?? null,
        comptoirPath: udevRule ? `/dev/comptoir/${name}` : null,
        udevRule,
      };
    })
    .sort((a, b) => a.path.localeCompare(b.path, "en", { numeric: true }));
}
