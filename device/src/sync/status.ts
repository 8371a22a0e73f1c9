import {
  type Clock,
  type NodeStatus,
  NodeStatusSchema,
  type ReaderStateSchema,
} from "@comptoir/contracts";
import type { IClientOptions } from "mqtt";
import type { z } from "zod";

export type ReaderStatus = z.infer<typeof ReaderStateSchema>;

export interface OnlineFacts {
  node: string;
  version: string;
  headSeq: number;
  ackedSeq: number;
  readers: ReaderStatus[];
}

/** The retained `online` status, checked against the contract before it leaves. */
export function onlineStatus(facts: OnlineFacts, clock: Clock): string {
  const status: NodeStatus = NodeStatusSchema.parse({
    state: "online",
    ...facts,
    ts: clock.now().toISOString(),
  });
  return JSON.stringify(status);
}

export function offlineStatus(node: string): string {
  const status: NodeStatus = { state: "offline", node };
  return JSON.stringify(status);
}

/** The last will: the broker publishes `offline`, retained, when the node's connection dies. */
export function lastWill(topic: string, node: string): NonNullable<IClientOptions["will"]> {
  return { topic, payload: Buffer.from(offlineStatus(node)), qos: 1, retain: true };
}

/** Reads a status payload (for tests and tools); undefined when it is not one. */
export function readStatus(payload: Buffer | string): NodeStatus | undefined {
  try {
    const parsed = NodeStatusSchema.safeParse(JSON.parse(payload.toString()));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
