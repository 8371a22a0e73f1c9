import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { PIN_HASH_PATTERN } from "@comptoir/firmware-config";

/**
 * Supervisor and clerk PINs, stored as `scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>`:
 * salted and slow, so a copied node config does not give the PINs away.
 * A PIN is a small space, so both length and cost matter: at least 6 digits
 * (4 digits at N=2^14 fell offline in about 10 minutes), and N=2^15, the
 * highest cost that keeps one check near 150 ms on a node. Hashes made with
 * other parameters keep verifying: each hash carries its own.
 */
export const PIN_MIN_DIGITS = 6;
export const PIN_MAX_DIGITS = 12;
const PIN_PATTERN = /^\d{6,12}$/;
const COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;

export function isValidPin(pin: string): boolean {
  return PIN_PATTERN.test(pin);
}

/** Why `pin` is not a PIN, for the person who typed it; undefined when it is one. */
export function pinProblem(pin: string): string | undefined {
  if (PIN_PATTERN.test(pin)) return undefined;
  if (/^\d+$/.test(pin) && pin.length < PIN_MIN_DIGITS)
    return `a PIN is ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits: ${pin.length} digits are too few to resist guessing — choose a longer one`;
  return `a PIN is ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits, nothing else`;
}

export async function hashPin(pin: string): Promise<string> {
  const problem = pinProblem(pin);
  if (problem) throw new RangeError(problem);
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
    // scrypt needs 128·N·r bytes; allow twice that, up to a bound a stored hash cannot exceed.
    const maxmem = Math.min(2 * 128 * N * r, 512 * 1024 * 1024);
    scrypt(pin, salt, bytes, { N, r, p, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
