/** SGTIN-96 partition table (TDS): company-prefix bits and item-reference bits by partition. */
const CP_BITS = [40, 37, 34, 30, 27, 24, 20] as const;
const IR_BITS = [4, 7, 10, 14, 17, 20, 24] as const;

/**
 * The SGTIN-96 EPC (24 upper-case hex digits) of a GTIN-14 and serial, the
 * company prefix being the `cpDigits` digits after the indicator digit.
 */
export function sgtin96(gtin: string, serial: number, cpDigits = 7, filter = 1): string {
  if (!/^\d{14}$/.test(gtin)) throw new RangeError(`GTIN must be 14 digits, got "${gtin}"`);
  if (cpDigits < 6 || cpDigits > 12) throw new RangeError("company prefix must be 6 to 12 digits");
  const partition = 12 - cpDigits;
  const companyPrefix = BigInt(gtin.slice(1, 1 + cpDigits));
  const itemReference = BigInt(gtin[0] + gtin.slice(1 + cpDigits, 13));
  let value = 0x30n;
  value = (value << 3n) | BigInt(filter & 7);
  value = (value << 3n) | BigInt(partition);
  value = (value << BigInt(CP_BITS[partition] as number)) | companyPrefix;
  value = (value << BigInt(IR_BITS[partition] as number)) | itemReference;
  value = (value << 38n) | BigInt(serial);
  return value.toString(16).toUpperCase().padStart(24, "0");
}
