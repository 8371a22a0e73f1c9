import type { KeyObject } from "node:crypto";
import { sign, verify } from "node:crypto";
import { canonicalJson } from "../canonical-json.js";
import type { ChainIdentity } from "./keys.js";
import type { CheckpointData } from "./schema.js";

/** What a checkpoint attests: the chain's entry `seq` has hash `hash`. */
export interface ChainHead {
  chain: string;
  seq: number;
  hash: string;
}

/** The signed bytes: RFC 8785 JSON of {chain, hash, seq}, UTF-8. */
export function checkpointMessage(head: ChainHead): Buffer {
  return Buffer.from(canonicalJson({ chain: head.chain, hash: head.hash, seq: head.seq }), "utf8");
}

export function signCheckpoint(identity: ChainIdentity, head: ChainHead): CheckpointData {
  const sig = sign(null, checkpointMessage(head), identity.privateKey).toString("hex");
  return { seq: head.seq, hash: head.hash, key: identity.publicKeyHex, sig };
}

export function checkpointSignatureValid(
  chain: string,
  data: CheckpointData,
  publicKey: KeyObject,
): boolean {
  const message = checkpointMessage({ chain, seq: data.seq, hash: data.hash });
  return verify(null, message, publicKey, Buffer.from(data.sig, "hex"));
}
