import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { PIN_HASH_PATTERN } from "@comptoir/firmware-config";

/**
 * Supervisor PINs, stored as `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`:
 * salted and slow, so a copied node config does not give the PINs away
 * (a 4–8 digit PIN is a small space: the cost is what protects it).
 */
const PIN_PATTERN = /^\d{4,12}$/;
const COST = { N: 16384, r: 8, p: 1 };
const KEY_BYTES = 32;

export function isValidPin(pin: string): boolean {
  return PIN_PATTERN.test(pin);
}

export async function hashPin(pin: string): Promise<string> {
  if (!isValidPin(pin)) throw new RangeError("a PIN is 4 to 12 digits");
  const salt = randomBytes(16);
  const hash = await derive(pin, salt, COST.N, COST.r, COST.p);
  return ["scrypt", COST.N, COST.r, COST.p, salt.toString("base64"), hash.toString("base64")].join(
    "$",
  );
}

/** True when `pin` matches `stored`; false for a wrong PIN or a hash this code cannot read. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  if (!PIN_HASH_PATTERN.test(stored)) return false;
  const [, n, r, p, salt, hash] = stored.split("$") as string[];
  const expected = Buffer.from(hash as string, "base64");
  if (expected.length === 0) return false;
  try {
    const actual = await derive(
      pin,
      Buffer.from(salt as string, "base64"),
      Number(n),
      Number(r),
      Number(p),
      expected.length,
    );
    return timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}

function derive(
  pin: string,
  salt: Buffer,
  N: number,
  r: number,
  p: number,
  bytes = KEY_BYTES,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, bytes, { N, r, p, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
