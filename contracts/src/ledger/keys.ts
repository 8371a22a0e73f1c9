import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from "node:crypto";

/**
 * Ed25519 chain identities. Keys are parsed once into KeyObjects: signing
 * with a PEM string re-parses it on every call and is ten times slower.
 */
export interface ChainIdentity {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The raw 32-byte public key in hex, as checkpoints carry it. */
  publicKeyHex: string;
}

export function generateIdentity(): ChainIdentity {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return { privateKey, publicKey, publicKeyHex: publicKeyHex(publicKey) };
}

export function identityFromPrivatePem(pem: string): ChainIdentity {
  const privateKey = createPrivateKey(pem);
  assertEd25519(privateKey);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicKeyHex: publicKeyHex(publicKey) };
}

/** Reads a public key given as SPKI PEM or as 64 hex digits of the raw key. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? createPublicKey({
        key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(trimmed, "hex").toString("base64url") },
        format: "jwk",
      })
    : createPublicKey(trimmed);
  assertEd25519(key);
  return key;
}

export function publicKeyHex(key: KeyObject): string {
  const jwk = key.export({ format: "jwk" });
  if (typeof jwk.x !== "string") throw new Error("not an Ed25519 public key");
  return Buffer.from(jwk.x, "base64url").toString("hex");
}

export function privateKeyPem(identity: ChainIdentity): string {
  return identity.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
}

export function publicKeyPem(key: KeyObject): string {
  return key.export({ format: "pem", type: "spki" }).toString();
}

function assertEd25519(key: KeyObject): void {
  if (key.asymmetricKeyType !== "ed25519") {
    throw new Error(`expected an Ed25519 key, got ${key.asymmetricKeyType ?? "a symmetric key"}`);
  }
}
