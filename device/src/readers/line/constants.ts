/**
 * Line mode: CDC / virtual-COM "text" readers that print one EPC in hex per line.
 * Reference: shared/reference/rfid-protocols.md, section 4.2-4.4.
 *
 * Rules (decided here, asserted in the tests):
 * - A line ends at CR, LF or CRLF (any run of CR/LF); empty lines are ignored.
 * - Spaces and tabs around the line are trimmed; inside the line they make it invalid.
 * - One optional prefix is stripped: `EPC:` (any case, spaces may follow) or `Q`
 *   (the `Q` poll reply of small ASCII UHF modules).
 * - The rest must be hex (either case, reported upper case) with a whole number of
 *   16-bit words (4 hex characters); otherwise the line is skipped: non-hex →
 *   "garbage", a digit count not a multiple of 4 → "bad length".
 * - When the line is PC + EPC + CRC (the PC word's length field says the line is
 *   exactly 8 hex characters longer than the EPC), the Gen2 CRC-16 over PC+EPC is
 *   checked: a mismatch is skipped as "bad checksum"; a match reports the EPC alone and
 *   the PC. A line that is only PC + EPC cannot be told from a longer EPC and is kept whole.
 * - A line longer than MAX_LINE_LENGTH bytes is skipped once as "bad length" and the
 *   bytes up to the next line end are dropped: memory stays bounded.
 */

/** Most CDC text readers enumerate as a virtual COM port at 115200 (the rate is ignored over USB). */
export const LINE_BAUD = 115200;

/** Longest line kept, terminator excluded: `EPC:` + PC + 496-bit EPC + CRC + slack. */
export const MAX_LINE_LENGTH = 160;

export const SPACE = 0x20;
export const TAB = 0x09;
/** "Q" */
export const Q_PREFIX = 0x51;
/** "EPC:" in upper case (compared case-insensitively). */
export const EPC_PREFIX = [0x45, 0x50, 0x43, 0x3a] as const;
