/**
 * What the host sends a ThingMagic module, and the start-up dialogue of a stock node:
 * stop + version, region, read power, Gen2, antenna list, read filter off, start streaming.
 */
import type { ReaderMessage, ReaderSettings, StartupStep } from "../types.js";
import {
  CONFIG_READ_FILTER,
  Metadata,
  OPTION_METADATA,
  Opcode,
  REGION_CODES,
  SEARCH_TIMEOUT_MS,
  STREAM_SEARCH_FLAGS,
  TAG_PROTOCOL_GEN2,
  TagOpOption,
} from "./constants.js";
import { encodeCommand } from "./frame.js";
import { statusText } from "./parser.js";

const u16 = (v: number): number[] => [(v >> 8) & 0xff, v & 0xff];

export const versionCommand = (): Uint8Array => encodeCommand(Opcode.VERSION);
export const setRegionCommand = (code: number): Uint8Array =>
  encodeCommand(Opcode.SET_REGION, [code]);
/** Read power in dBm, sent as signed centi-dBm (27 dBm → 2700). */
export const setReadPowerCommand = (dbm: number): Uint8Array =>
  encodeCommand(Opcode.SET_READ_TX_POWER, u16(Math.round(dbm * 100)));
export const setGen2Command = (): Uint8Array =>
  encodeCommand(Opcode.SET_TAG_PROTOCOL, u16(TAG_PROTOCOL_GEN2));
/** Antenna search list (option 0x02), one TX = RX pair per port: what "configured list" reads use. */
export const setAntennaListCommand = (ports: readonly number[]): Uint8Array =>
  encodeCommand(Opcode.SET_ANTENNA_PORT, [0x02, ...ports.flatMap((p) => [p, p])]);
/** Off: the module reports every read; smoothing is the event layer's job, not the module's. */
export const disableReadFilterCommand = (): Uint8Array =>
  encodeCommand(Opcode.SET_READER_OPTIONAL_PARAMS, [0x01, CONFIG_READ_FILTER, 0x00]);

/** Start continuous reading, Gen2, configured antenna list, with the requested metadata. */
export function startReadingCommand(metadata: number = Metadata.ALL): Uint8Array {
  // Wrapper (timeout 0, option start, sub-opcode 0x22, flags 0, Gen2, embedded length 7),
  // then the embedded READ_TAG_ID_MULTIPLE: option, search flags, timeout, metadata flags.
  const embedded = [Opcode.READ_TAG_ID_MULTIPLE, OPTION_METADATA, ...u16(STREAM_SEARCH_FLAGS)];
  embedded.push(...u16(SEARCH_TIMEOUT_MS), ...u16(metadata));
  const wrapper = [0x00, 0x00, TagOpOption.START, Opcode.READ_TAG_ID_MULTIPLE, 0x00, 0x00];
  wrapper.push(TAG_PROTOCOL_GEN2, embedded.length - 1);
  return encodeCommand(Opcode.MULTI_PROTOCOL_TAG_OP, [...wrapper, ...embedded]);
}

export const stopReadingCommand = (): Uint8Array =>
  encodeCommand(Opcode.MULTI_PROTOCOL_TAG_OP, [0x00, 0x00, TagOpOption.STOP]);

/** The region code for a config name; throws an error that lists the names it knows. */
export function regionCode(region: string): number {
  const code = REGION_CODES[region.toUpperCase()];
  if (code === undefined) {
    const known = Object.keys(REGION_CODES).join(", ");
    throw new Error(
      `unknown ThingMagic region "${region}" — use one of ${known} (a Nano needs NA2, NA3 or EU3)`,
    );
  }
  return code;
}

type Answer = ReturnType<StartupStep["answer"]>;

/** Done on a success reply to `opcode`, failed on a refusal, otherwise keep waiting. */
function answerTo(opcode: number) {
  return (m: ReaderMessage): Answer => {
    if ((m.kind !== "reply" && m.kind !== "error") || m.command !== opcode) return undefined;
    return m.status === 0 ? "done" : { failed: statusText(m.status) };
  };
}

const step = (name: string, bytes: Uint8Array, opcode: number, timeoutMs = 1500): StartupStep => ({
  name,
  bytes,
  answer: answerTo(opcode),
  timeoutMs,
});

export function startup(settings: ReaderSettings): StartupStep[] {
  const ports = settings.antennas.length > 0 ? settings.antennas : [1];
  // A module left streaming by an earlier session answers nothing else: stop it first. Its
  // stop ack (or refusal when idle) is ignored; the version reply is the answer awaited.
  const hello = new Uint8Array([...stopReadingCommand(), ...versionCommand()]);
  const steps: StartupStep[] = [step("stop reading, get version", hello, Opcode.VERSION, 3000)];
  if (settings.region !== undefined) {
    steps.push(
      step("set region", setRegionCommand(regionCode(settings.region)), Opcode.SET_REGION),
    );
  }
  if (settings.power !== undefined) {
    steps.push(
      step("set read power", setReadPowerCommand(settings.power), Opcode.SET_READ_TX_POWER),
    );
  }
  steps.push(step("set protocol Gen2", setGen2Command(), Opcode.SET_TAG_PROTOCOL));
  steps.push(step("set antennas", setAntennaListCommand(ports), Opcode.SET_ANTENNA_PORT));
  steps.push(
    step("disable read filter", disableReadFilterCommand(), Opcode.SET_READER_OPTIONAL_PARAMS),
  );
  const start = step(
    "start continuous read",
    startReadingCommand(),
    Opcode.MULTI_PROTOCOL_TAG_OP,
    3000,
  );
  const acked = start.answer;
  // A tag or a keep-alive also proves the module is streaming, should its ack be lost; a
  // late stop ack (0x2F, data 02) does not.
  start.answer = (m) => {
    if (m.kind === "tag" || m.kind === "round-end") return "done";
    if (m.kind === "reply" && m.payload[0] === TagOpOption.STOP) return undefined;
    return acked(m);
  };
  steps.push(start);
  return steps;
}

export const stop = (): Uint8Array => stopReadingCommand();
