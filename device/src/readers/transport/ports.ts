import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { SerialBinding } from "./types.js";

const LIST_TIMEOUT_MS = 2000;

/**
 * The serial ports present, stable names first. serialport's own list needs
 * udevadm, absent on minimal images, so /dev/serial/by-id and ttyUSB/ttyACM
 * are read directly and the binding's list only adds to them.
 */
export async function listSerialPorts(binding?: SerialBinding): Promise<string[]> {
  const found = new Set<string>();
  for (const name of await entries("/dev/serial/by-id")) found.add(join("/dev/serial/by-id", name));
  for (const name of await entries("/dev")) {
    if (/^tty(USB|ACM)\d+$/.test(name)) found.add(join("/dev", name));
  }
  if (binding) {
    const listed = await Promise.race([
      binding.list().catch(() => []),
      new Promise<[]>((resolve) => setTimeout(() => resolve([]), LIST_TIMEOUT_MS).unref()),
    ]);
    for (const port of listed) found.add(port.path);
  }
  return [...found];
}

async function entries(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}
