import { EventEmitter } from "node:events";
import { silentLogger } from "@comptoir/contracts";
import type { RunningNode } from "@comptoir/device";
import { describe, expect, it } from "vitest";
import { announceNodeReady } from "./node-readiness.js";
import { ServiceNotifier } from "./notify.js";

/** A reader as the node's runtime has it: a state, a detail, "state" events. */
class FakeReader extends EventEmitter {
  state = "starting";
  detail: string | undefined;
  constructor(readonly id: string) {
    super();
  }
  set(state: string, detail?: string) {
    this.state = state;
    this.detail = detail;
    this.emit("state", { id: this.id, state, ...(detail ? { detail } : {}) });
  }
}

function fakeNode(readers: FakeReader[]): RunningNode {
  return { url: "http://127.0.0.1:8080", runtime: { readers } } as unknown as RunningNode;
}

function recording() {
  const sent: string[][] = [];
  const notifier = new ServiceNotifier({
    env: { NOTIFY_SOCKET: "/run/systemd/notify" },
    logger: silentLogger,
    send: async (fields) => {
      sent.push([...fields]);
    },
  });
  return { notifier, sent };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("announceNodeReady", () => {
  it("says READY=1 only once every reader has opened or is degraded, naming each", async () => {
    const dock = new FakeReader("dock-1");
    const shelf = new FakeReader("shelf-1");
    const { notifier, sent } = recording();
    const announced = announceNodeReady(fakeNode([dock, shelf]), notifier, new Promise(() => {}));
    dock.set("reading");
    await settle();
    expect(sent).toEqual([]);
    shelf.set("degraded", "cannot open /dev/ttyUSB1: no such port");
    await announced;
    await notifier.close();
    expect(sent).toEqual([
      [
        "READY=1",
        "STATUS=ready; readers: dock-1 reading, shelf-1 degraded (cannot open /dev/ttyUSB1: no such port); local API at http://127.0.0.1:8080",
      ],
    ]);
  });

  it("updates the status when a reader settles in a new state, not at each retry of an unplugged one", async () => {
    const dock = new FakeReader("dock-1");
    dock.state = "degraded";
    dock.detail = "unplugged";
    const { notifier, sent } = recording();
    await announceNodeReady(fakeNode([dock]), notifier, new Promise(() => {}));
    for (let retry = 0; retry < 3; retry++) {
      dock.set("starting");
      dock.set("degraded", "unplugged");
    }
    dock.set("starting");
    dock.set("reading");
    await notifier.close();
    expect(sent.map((fields) => fields.at(-1))).toEqual([
      "STATUS=ready; readers: dock-1 degraded (unplugged); local API at http://127.0.0.1:8080",
      "STATUS=running; readers: dock-1 reading; local API at http://127.0.0.1:8080",
    ]);
  });

  it("never says READY=1 when told to stop while a reader still starts", async () => {
    const dock = new FakeReader("dock-1");
    const { notifier, sent } = recording();
    await announceNodeReady(fakeNode([dock]), notifier, Promise.resolve("SIGTERM"));
    dock.set("reading");
    await notifier.close();
    expect(sent).toEqual([]);
  });
});
