import { stat } from "node:fs/promises";
import { SerialPortStream } from "@serialport/stream";
import { listSerialPorts } from "./ports.js";
import { StreamTransport } from "./stream-transport.js";
import { ReaderOpenError, type SerialBinding, type Transport } from "./types.js";

export interface SerialOpenOptions {
  path: string;
  baudRate: number;
  url: string;
  /** The serialport binding; the operating system's by default, MockBinding in tests. */
  binding?: SerialBinding;
}

/** Opens a serial reader through serialport; errors say what to do (list ports, dialout, lock). */
export async function openSerial(options: SerialOpenOptions): Promise<Transport> {
  const binding = options.binding ?? (await systemBinding());
  const stream = new SerialPortStream({
    binding,
    path: options.path,
    baudRate: options.baudRate,
    autoOpen: false,
  });
  try {
    await new Promise<void>((resolve, reject) =>
      stream.open((error) => (error ? reject(error) : resolve())),
    );
  } catch (error) {
    throw await explainOpenError(options.path, error as Error, binding);
  }
  const transport = new StreamTransport(
    options.url,
    stream,
    (s) =>
      new Promise<void>((resolve, reject) =>
        (s as SerialPortStream).close((error) => (error ? reject(error) : resolve())),
      ),
    (error) => (error instanceof Error ? error.message : undefined),
  );
  if (!options.binding) watchPresence(options.path, stream, transport);
  return transport;
}

/** How often an open port's device file is checked for. */
const PRESENCE_CHECK_MS = 1_000;

/**
 * A device file that vanishes under an open port (a USB adapter unplugged, a
 * pseudo-terminal's other end closed) normally wakes the pending read with an
 * error. The kernel does not always deliver that wake-up, and the port would
 * then read nothing forever while reporting "reading". Checking that the path
 * still exists turns that silence into a disconnect, and the session reopens.
 */
function watchPresence(path: string, stream: SerialPortStream, transport: Transport): void {
  const timer = setInterval(() => {
    stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT" || !transport.isOpen) return;
      clearInterval(timer);
      stream.destroy(new Error(`${path} is gone (unplugged)`));
    });
  }, PRESENCE_CHECK_MS);
  timer.unref();
  transport.once("close", () => clearInterval(timer));
}

async function systemBinding(): Promise<SerialBinding> {
  try {
    const { SerialPort } = await import("serialport");
    return SerialPort.binding;
  } catch (error) {
    throw new ReaderOpenError(
      `cannot load the serial port driver (${(error as Error).message}) — reinstall with npm ci on this machine`,
      "other",
    );
  }
}

/** Turns serialport's open errors into one line that tells an installer what to do. */
export async function explainOpenError(
  path: string,
  error: Error,
  binding?: SerialBinding,
): Promise<ReaderOpenError> {
  const text = error.message;
  if (/no such file|ENOENT|does not exist/i.test(text)) {
    const ports = await listSerialPorts(binding);
    const found = ports.length > 0 ? `ports present: ${ports.join(", ")}` : "no serial ports found";
    return new ReaderOpenError(
      `cannot open ${path}: no such port — ${found}; check the cable and the path in the config`,
      "not found",
    );
  }
  if (/permission denied|EACCES|EPERM/i.test(text)) {
    return new ReaderOpenError(
      `cannot open ${path}: permission denied — add the user to the dialout group or use a udev rule (see firmware-config/udev)`,
      "permission denied",
    );
  }
  if (/lock|resource temporarily unavailable|EBUSY|busy/i.test(text)) {
    return new ReaderOpenError(
      `cannot open ${path}: the port is in use by another process — stop it (see: fuser ${path}) or close the other program (ModemManager, a serial console, a second comptoir)`,
      "locked",
    );
  }
  return new ReaderOpenError(`cannot open ${path}: ${text.replace(/^Error:?\s*/, "")}`, "other");
}
