/**
 * ThingMagic / JADAK Mercury serial protocol constants (M6e, M6e Nano, Micro, M7E).
 * Values and names follow Mercury API's serial_reader_imp.h, tmr_status.h, tmr_region.h
 * and tmr_tag_data.h, as summarised in shared/reference/rfid-protocols.md §1.
 */

/** The module boots at 115200 baud 8N1. */
export const THINGMAGIC_BAUD = 115_200;

export const SOF = 0xff;
/** Host → module: SOF, LEN, opcode, data, CRC(2). LEN counts data only. */
export const COMMAND_OVERHEAD = 5;
/** Module → host: SOF, LEN, opcode, status(2), data, CRC(2). Two more than a command. */
export const REPLY_OVERHEAD = 7;
/** TMR_SR_MAX_PACKET_SIZE: the module never sends, nor accepts, a longer frame. */
export const MAX_FRAME = 256;

export const Opcode = {
  VERSION: 0x03,
  SET_BAUD_RATE: 0x06,
  READ_TAG_ID_MULTIPLE: 0x22,
  GET_TAG_ID_BUFFER: 0x29,
  CLEAR_TAG_ID_BUFFER: 0x2a,
  MULTI_PROTOCOL_TAG_OP: 0x2f,
  GET_READ_TX_POWER: 0x62,
  GET_REGION: 0x67,
  GET_TEMPERATURE: 0x72,
  SET_ANTENNA_PORT: 0x91,
  SET_READ_TX_POWER: 0x92,
  SET_TAG_PROTOCOL: 0x93,
  SET_REGION: 0x97,
  SET_READER_OPTIONAL_PARAMS: 0x9a,
  SET_PROTOCOL_PARAM: 0x9b,
} as const;

/** First data byte of 0x2F (MULTI_PROTOCOL_TAG_OP): what the command or its ack is about. */
export const TagOpOption = { START: 0x01, STOP: 0x02 } as const;

export const Status = {
  OK: 0x0000,
  /** LEN 0 on opcode 0x22: a search cycle found nothing; the module's keep-alive. */
  NO_TAGS_FOUND: 0x0400,
} as const;

/** Status words a user may meet (tmr_status.h), for error messages. */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  256: "wrong number of data bytes",
  257: "invalid opcode",
  258: "unimplemented opcode",
  259: "power too high",
  261: "invalid parameter value",
  262: "power too low",
  265: "unimplemented feature",
  266: "invalid baud rate",
  267: "invalid region",
  1024: "no tags found",
  1028: "no data read",
  1029: "AFE not on",
  1059: "memory overrun or bad PC",
  1283: "antenna not connected",
  1284: "temperature exceeds limits",
  1285: "high return loss: check the antenna and its cable",
  1537: "tag-ID buffer full",
  1540: "tag buffer authentication request",
  32512: "unknown system error",
  32513: "firmware assertion",
};

/** Region codes (tmr_region.h). A Nano knows only NA2/NA3 for North America, and EU3 for Europe. */
export const REGION_CODES: Readonly<Record<string, number>> = {
  NA: 0x01,
  EU: 0x02,
  KR: 0x03,
  IN: 0x04,
  JP: 0x05,
  PRC: 0x06,
  EU2: 0x07,
  EU3: 0x08,
  KR2: 0x09,
  PRC2: 0x0a,
  AU: 0x0b,
  NZ: 0x0c,
  NA2: 0x0d,
  NA3: 0x0e,
  IS: 0x0f,
  OPEN: 0xff,
};

export const TAG_PROTOCOL_GEN2 = 0x05;
export const TAG_PROTOCOL_ATA = 0x1d;

/** Metadata flags (tmr_tag_data.h); fields appear in a record in this bit order. */
export const Metadata = {
  READ_COUNT: 0x0001,
  RSSI: 0x0002,
  ANTENNA: 0x0004,
  FREQUENCY: 0x0008,
  TIMESTAMP: 0x0010,
  PHASE: 0x0020,
  PROTOCOL: 0x0040,
  DATA: 0x0080,
  GPIO: 0x0100,
  ALL: 0x01ff,
} as const;

/** Option byte bit: metadata flags follow the search flags (a streamed record's byte 5). */
export const OPTION_METADATA = 0x10;
/** Configured antenna list + tag streaming + large tag population (reference §1.6). */
export const STREAM_SEARCH_FLAGS = 0x001b;
/** Per-search timeout inside continuous reading, in ms: the module's keep-alive period. */
export const SEARCH_TIMEOUT_MS = 1000;

/** Response-type byte of a streamed 0x22 frame. */
export const ResponseType = { SUMMARY: 0x00, TAG: 0x01, STATS: 0x02 } as const;

/** Reader optional parameter 0x0C: read filter (de-duplication inside the module). */
export const CONFIG_READ_FILTER = 0x0c;
