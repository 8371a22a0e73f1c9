/**
 * EM4100 125 kHz ASCII readers (RDM6300, ID-12LA / ID-20LA): constants of the
 * byte stream. Reference: shared/reference/rfid-protocols.md, section 3.
 */

/** The readers talk 9600 baud 8N1 and stream on power-up; they take no commands. */
export const EM4100_BAUD = 9600;

export const STX = 0x02;
export const ETX = 0x03;

/** 5 data bytes (version/customer byte + 4-byte serial) as 10 hex characters. */
export const DATA_BYTES = 5;
/** Data (10) + XOR checksum (2) hex characters between STX and ETX. */
export const FRAME_HEX_CHARS = 12;
/** ID-12LA / ID-20LA send CR LF between the checksum and ETX; RDM6300 sends nothing. */
export const MAX_LINE_END_BYTES = 2;

/** The two framings: RDM6300 `STX hex12 ETX` (14 bytes), ID-12LA `STX hex12 CR LF ETX` (16 bytes). */
export type Em4100Framing = "rdm6300" | "id12la";
