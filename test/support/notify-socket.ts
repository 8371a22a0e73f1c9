import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

/**
 * Python's socket module has unix datagram sockets, Node's has not: this
 * plays systemd's side of sd_notify(3). Each datagram becomes one JSON line:
 * its fields. It closes the fd that `systemd-notify` passes for its barrier
 * (BARRIER=1) at once, as systemd does, which lets the sender exit, and
 * leaves that handshake out of the messages.
 */
const RECEIVER = `
import array, json, os, socket, sys
name = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind("\\0" + name[1:] if name.startswith("@") else name)
print(json.dumps(["LISTENING=1"]), flush=True)
while True:
    data, ancillary, _, _ = s.recvmsg(65536, socket.CMSG_SPACE(64))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
            for fd in fds:
                os.close(fd)
    # A barrier is the protocol's own handshake (the fd closed above), not a message.
    if data != b"BARRIER=1":
        print(json.dumps(data.decode().split("\\n")), flush=True)
`;

/** A fake NOTIFY_SOCKET: every message systemd would have received, in order. */
export interface FakeNotifySocket {
  /** The value for NOTIFY_SOCKET (a path, or @name for an abstract socket). */
  address: string;
  messages: string[][];
  /** Resolves with the first message from `after` on that has the field. */
  next(field: string, after?: number): Promise<number>;
  close(): Promise<void>;
}

export async function fakeNotifySocket(address: string): Promise<FakeNotifySocket> {
  const child: ChildProcess = spawn("python3", ["-c", RECEIVER, address], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const messages: string[][] = [];
  const waiters: (() => void)[] = [];
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  let listening: () => void = () => {};
  const ready = new Promise<void>((resolve) => (listening = resolve));
  lines.on("line", (line) => {
    const fields = JSON.parse(line) as string[];
    if (fields[0] === "LISTENING=1") return listening();
    messages.push(fields);
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = once(child, "exit");
  await Promise.race([
    ready,
    exited.then(() => {
      throw new Error(`the fake notify socket did not start: ${stderr}`);
    }),
  ]);
  return {
    address,
    messages,
    async next(field, after = 0) {
      for (;;) {
        const found = messages.findIndex((fields, i) => i >= after && fields.includes(field));
        if (found >= 0) return found;
        await Promise.race([
          new Promise<void>((resolve) => waiters.push(resolve)),
          exited.then(() => {
            throw new Error(`the fake notify socket ended: ${stderr}`);
          }),
        ]);
      }
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill();
        await exited;
      }
    },
  };
}
