import { SerialPortMock } from "serialport";
import { SimulatedReader } from "./simulated-reader.js";
import type { SimulatorOptions } from "./tcp-server.js";

type MockBindingType = typeof SerialPortMock.binding;
type MockPort = Awaited<ReturnType<MockBindingType["open"]>>;

export interface MockReaderPort {
  /** Pass as the session's `binding`: serialport's MockBinding with a simulated reader behind `path`. */
  binding: MockBindingType;
  /** The reader behind the port now open (a new one on every open). */
  readonly reader: SimulatedReader | undefined;
  /** Every host → reader byte written so far, per open. */
  readonly written: Uint8Array[][];
  /** Pulls the plug: the pending read fails as a real unplug does, and opens fail until `replug`. */
  unplug(): void;
  replug(): void;
}

/**
 * A simulated reader in-process behind serialport's MockBinding: what the host
 * writes goes to the reader; what the reader sends arrives as port data.
 */
export function simulatedMockPort(path: string, options: SimulatorOptions): MockReaderPort {
  const binding = SerialPortMock.binding;
  binding.createPort(path);
  let present = true;
  let reader: SimulatedReader | undefined;
  let gone = deferredFailure();
  const written: Uint8Array[][] = [];
  const wrapped: MockBindingType = {
    ...binding,
    list: () => binding.list(),
    async open(openOptions) {
      if (!present || openOptions.path !== path) {
        if (openOptions.path === path)
          throw new Error(`Error: No such file or directory, cannot open ${path}`);
        return binding.open(openOptions);
      }
      const port: MockPort = await binding.open(openOptions);
      const writes: Uint8Array[] = [];
      written.push(writes);
      reader?.close();
      const current = new SimulatedReader({
        ...options,
        send: (bytes) => {
          if (port.isOpen) port.emitData(Buffer.from(bytes));
        },
        disconnect: () => unplug(),
      });
      reader = current;
      const read = port.read.bind(port);
      port.read = (buffer, offset, length) =>
        present
          ? Promise.race([read(buffer, offset, length), gone.promise])
          : Promise.reject(new Error("EIO: i/o error"));
      const write = port.write.bind(port);
      port.write = async (buffer: Buffer) => {
        await write(buffer);
        writes.push(Uint8Array.from(buffer));
        setImmediate(() => current.receive(buffer));
      };
      const close = port.close.bind(port);
      port.close = async () => {
        current.close();
        await close();
      };
      return port;
    },
  };
  function unplug() {
    present = false;
    reader?.close();
    gone.reject(new Error("EIO: i/o error"));
    gone = deferredFailure();
  }
  return {
    binding: wrapped,
    get reader() {
      return reader;
    },
    written,
    unplug,
    replug() {
      present = true;
    },
  };
}

function deferredFailure() {
  let reject!: (error: Error) => void;
  const promise = new Promise<never>((_, fail) => {
    reject = fail;
  });
  promise.catch(() => undefined);
  return { promise, reject };
}
