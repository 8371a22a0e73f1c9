import { type IStore, Store } from "mqtt";

type Args<K extends keyof IStore> = Parameters<IStore[K]>;

/**
 * mqtt.js's outgoing store, emptied when the connection drops. mqtt.js
 * replays whatever its store holds on the next connect, before the client
 * says it is connected; the ledger is the outbox, so the publisher resends
 * from the gateway's acknowledged seq itself and a replay would only be a
 * stale duplicate. The store holds at most the publisher's window.
 */
export class ClearableStore implements IStore {
  private inner = new Store();

  clear(): void {
    this.inner = new Store();
  }

  put(...[packet, cb]: Args<"put">): this {
    this.inner.put(packet, cb);
    return this;
  }

  createStream(): ReturnType<IStore["createStream"]> {
    return this.inner.createStream();
  }

  del(...[packet, cb]: Args<"del">): this {
    this.inner.del(packet, cb);
    return this;
  }

  get(...[packet, cb]: Args<"get">): this {
    this.inner.get(packet, cb);
    return this;
  }

  close(...[cb]: Args<"close">): void {
    this.inner.close(cb);
  }
}
