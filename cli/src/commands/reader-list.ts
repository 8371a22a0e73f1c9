import {
  describeSerialPorts,
  type PortSources,
  type SerialPortView,
  systemPortSources,
} from "@comptoir/device";
import { CliError, type Command } from "../command.js";

/** `comptoir reader list` reading its ports from `sources` (the system's when run). */
export function readerListCommand(sources: PortSources): Command {
  return {
    name: "reader list",
    summary:
      "list the serial ports: USB ids, serial number, stable path and the udev line to name each",
    usage: "[--json]",
    help: `For each serial port: its path, USB vendor and product id, manufacturer, serial
number, its /dev/serial/by-id/… path when udev made one (it survives plugging readers
in another order, unlike /dev/ttyUSB0), and the line to add to
/etc/udev/rules.d/99-comptoir-readers.rules to name it /dev/comptoir/reader-<serial>
(rename it as you like: dock-1…). A port without a USB serial number gets no line:
two adapters of that model cannot be told apart; use its /dev/serial/by-path/… name.
After editing the rules: sudo udevadm control --reload && sudo udevadm trigger.

  --json   print [ { "path", "vendorId", "productId", "manufacturer", "serialNumber",
           "stablePath", "comptoirPath", "udevRule" } ]`,
    options: { json: { type: "boolean" } },
    async run({ values, io }) {
      let ports: SerialPortView[];
      try {
        ports = await describeSerialPorts(sources);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new CliError(
          `cannot list the serial ports: ${reason} — serialport asks udev (udevadm); ls -l /dev/serial/by-id shows the USB ones`,
        );
      }
      if (values.json === true) {
        io.stdout.write(`${JSON.stringify(ports, null, 2)}\n`);
        return 0;
      }
      if (ports.length === 0) {
        io.stdout.write("no serial ports found: is the reader plugged in (dmesg | tail)?\n");
        return 0;
      }
      io.stdout.write(`${ports.map(describe).join("\n")}`);
      return 0;
    },
  };
}

function describe(port: SerialPortView): string {
  const ids = port.vendorId ? `${port.vendorId}:${port.productId ?? "?"}` : "no USB ids";
  const lines = [
    `${port.path}  ${ids}  ${port.manufacturer ?? "(manufacturer unknown)"}  serial ${port.serialNumber ?? "(none)"}`,
    `  stable path: ${port.stablePath ?? "(none)"}`,
  ];
  if (port.udevRule) {
    lines.push(`  udev line for ${port.comptoirPath}:`, `  ${port.udevRule}`);
  } else if (port.vendorId) {
    lines.push("  no USB serial number: no udev line by serial; use /dev/serial/by-path/…");
  }
  return `${lines.join("\n")}\n`;
}

export const readerList: Command = readerListCommand(systemPortSources);
