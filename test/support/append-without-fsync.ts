/**
 * The crash test's appender with fsync turned into a no-op (FileHandle's
 * datasync and sync): a ledger that acknowledges what is only in the page
 * cache. A SIGKILL cannot tell it from a durable one; a power cut must.
 */
import { open } from "node:fs/promises";

const probe = await open(process.execPath, "r");
const handle = Object.getPrototypeOf(probe) as { datasync(): Promise<void>; sync(): Promise<void> };
handle.datasync = async () => {};
handle.sync = async () => {};
await probe.close();
await import("./append-until-killed.js");
