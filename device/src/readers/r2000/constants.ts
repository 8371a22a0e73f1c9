/**
 * Impinj R2000-module "0xA0" serial protocol constants (UHF RFID Reader Serial Interface
 * Protocol V2.x/V3.x), as triangulated in shared/reference/rfid-protocols.md §2.
 */

/** 115200 baud 8N1 out of the box; the same bytes travel unchanged over TCP bridges. */
export const R2000_BAUD = 115_200;

export const HEAD = 0xa0;
/** Len counts Address + Cmd + Data + Check; the frame is Len + 2 bytes. */
export const FRAME_OVERHEAD = 2;
/** Address + Cmd + Check: a frame without data. */
export const MIN_LEN = 3;
/**
 * Largest Len accepted by default. Inventory traffic stays below (a 496-bit EPC record is
 * 0x47 with phase); a bound this low lets `A0 FF` garbage be refused at once rather than
 * holding back the next 257 bytes (reference §9.5). Raise it to read tag memory (0x81).
 */
export const DEFAULT_MAX_LEN = 0x7f;
/** Public address: any reader answers it, with its own address. */
export const BROADCAST = 0xff;

export const Cmd = {
  RESET: 0x70,
  SET_UART_BAUDRATE: 0x71,
  GET_FIRMWARE_VERSION: 0x72,
  SET_READER_ADDRESS: 0x73,
  SET_WORK_ANTENNA: 0x74,
  GET_WORK_ANTENNA: 0x75,
  SET_OUTPUT_POWER: 0x76,
  GET_OUTPUT_POWER: 0x77,
  SET_FREQUENCY_REGION: 0x78,
  SET_BEEPER_MODE: 0x7a,
  GET_ANT_CONNECTION_DETECTOR: 0x63,
  GET_RF_LINK_PROFILE: 0x6a,
  GET_RF_PORT_RETURN_LOSS: 0x7e,
  REAL_TIME_INVENTORY: 0x89,
  FAST_SWITCH_ANT_INVENTORY: 0x8a,
  CUSTOMIZED_SESSION_TARGET_INVENTORY: 0x8b,
} as const;

/** Inventory commands whose answers are streamed tag frames, then a summary or an error. */
export const INVENTORY_CMDS: ReadonlySet<number> = new Set([
  Cmd.REAL_TIME_INVENTORY,
  Cmd.FAST_SWITCH_ANT_INVENTORY,
  Cmd.CUSTOMIZED_SESSION_TARGET_INVENTORY,
]);

/** "Get" commands whose single data byte is a value, not a result code. */
export const VALUE_CMDS: ReadonlySet<number> = new Set([
  Cmd.GET_WORK_ANTENNA,
  Cmd.GET_OUTPUT_POWER,
  Cmd.GET_ANT_CONNECTION_DETECTOR,
  Cmd.GET_RF_LINK_PROFILE,
  Cmd.GET_RF_PORT_RETURN_LOSS,
]);

/** Len of an inventory summary (end of command) and of an error frame. Tag frames have odd Len. */
export const SUMMARY_LEN = 0x0a;
export const ERROR_LEN = 0x04;
/** Len of a tag frame: FreqAnt, PC(2), RSSI and the frame's Address, Cmd, Check; plus the EPC. */
export const TAG_LEN_BASE = 7;

export const SUCCESS = 0x10;
export const ErrorCode = {
  ANTENNA_MISSING: 0x22,
  NO_TAG: 0x36,
  BUFFER_EMPTY: 0x38,
} as const;

/** Result codes (pyImpinj ImpinjR2KGlobalErrors, vendor SDK ERROR class). */
export const ERROR_TEXT: Readonly<Record<number, string>> = {
  17: "command failed",
  32: "MCU reset error",
  33: "CW on error",
  34: "antenna missing: check the antenna and its cable",
  35: "write flash error",
  36: "read flash error",
  37: "set output power error",
  49: "tag inventory error",
  50: "tag read error",
  51: "tag write error",
  52: "tag lock error",
  53: "tag kill error",
  54: "no tag",
  55: "inventoried but access failed",
  56: "buffer empty",
  60: "NXP custom command failed",
  64: "access or password error",
  65: "invalid parameter",
  66: "WordCnt too long",
  67: "MemBank out of range",
  68: "lock region out of range",
  69: "lock type out of range",
  70: "invalid reader address",
  71: "invalid antenna id",
  72: "output power out of range",
  73: "invalid frequency region",
  74: "invalid baud rate",
  75: "invalid beeper mode",
  76: "EPC match too long",
  77: "EPC match length wrong",
  78: "invalid EPC match mode",
  79: "invalid frequency range",
  80: "no RN16 received",
  81: "invalid DRM mode",
  82: "PLL lock failed",
  83: "RF chip does not respond",
  84: "output power not achieved",
  85: "copyright authentication failed",
  86: "spectrum regulation error",
  87: "output power too low",
  238: "return-loss measurement failed",
};

/**
 * Channel index → carrier in kHz for the built-in regions: 0–6 ETSI (865.0 + 0.5·i MHz),
 * 7–59 FCC (902.0 + 0.5·(i − 7) MHz). A user-defined region has its own plan; the index
 * is then only meaningful to whoever configured it.
 */
export function channelKhz(index: number): number {
  return index < 7 ? 865_000 + 500 * index : 902_000 + 500 * (index - 7);
}

/** The vendor's conversion of the raw RSSI byte (bits 6–0) to dBm. */
export const RSSI_OFFSET = 129;
