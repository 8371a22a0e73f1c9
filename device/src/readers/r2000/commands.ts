/**
 * What the host sends an R2000, the start-up dialogue (work antenna, output power, first
 * real-time inventory) and the inventory loop: 0x89 ends by itself after its rounds, so the
 * host re-sends it after each summary, moving to the next configured antenna.
 */
import type { ReaderMessage, ReaderSettings, StartupStep } from "../types.js";
import { BROADCAST, Cmd, ErrorCode } from "./constants.js";
import { encodeFrame } from "./frame.js";
import { errorText } from "./parser.js";

/** Rounds per 0x89 command: one, so antennas alternate and every round ends in a summary. */
export const INVENTORY_REPEAT = 0x01;

/** Selects the antenna (1-based) the next inventory uses. */
export const setWorkAntennaCommand = (antenna: number, address = BROADCAST): Uint8Array =>
  encodeFrame(Cmd.SET_WORK_ANTENNA, [antenna - 1], address);
/** Output power for all ports, whole dBm (0–33). The reader saves it to flash. */
export const setOutputPowerCommand = (dbm: number, address = BROADCAST): Uint8Array =>
  encodeFrame(Cmd.SET_OUTPUT_POWER, [Math.round(dbm)], address);
export const realTimeInventoryCommand = (
  repeat = INVENTORY_REPEAT,
  address = BROADCAST,
): Uint8Array => encodeFrame(Cmd.REAL_TIME_INVENTORY, [repeat], address);
/** 0x8B: like 0x89 with a Gen2 session (0–3) and target (0 = A, 1 = B). */
export const sessionInventoryCommand = (
  session: number,
  target: number,
  repeat = INVENTORY_REPEAT,
  address = BROADCAST,
): Uint8Array =>
  encodeFrame(Cmd.CUSTOMIZED_SESSION_TARGET_INVENTORY, [session, target, repeat], address);
export const getFirmwareVersionCommand = (address = BROADCAST): Uint8Array =>
  encodeFrame(Cmd.GET_FIRMWARE_VERSION, [], address);
export const resetCommand = (address = BROADCAST): Uint8Array =>
  encodeFrame(Cmd.RESET, [], address);

type Answer = ReturnType<StartupStep["answer"]>;

/** The end of an inventory command this driver sends: its summary or its error frame. */
const endsInventory = (m: ReaderMessage): boolean =>
  (m.kind === "round-end" || m.kind === "error") &&
  (m.command === Cmd.REAL_TIME_INVENTORY || m.command === Cmd.CUSTOMIZED_SESSION_TARGET_INVENTORY);

function setStep(name: string, bytes: Uint8Array, cmd: number): StartupStep {
  return {
    name,
    bytes,
    timeoutMs: 1000,
    answer: (m): Answer => {
      if ((m.kind !== "reply" && m.kind !== "error") || m.command !== cmd) return undefined;
      return m.status === 0 ? "done" : { failed: errorText(m.status) };
    },
  };
}

function portsOf(settings: ReaderSettings): readonly number[] {
  return settings.antennas.length > 0 ? settings.antennas : [1];
}

export function startup(settings: ReaderSettings): StartupStep[] {
  const ports = portsOf(settings);
  const steps = [
    setStep("set work antenna", setWorkAntennaCommand(ports[0] as number), Cmd.SET_WORK_ANTENNA),
  ];
  if (settings.power !== undefined) {
    steps.push(
      setStep("set output power", setOutputPowerCommand(settings.power), Cmd.SET_OUTPUT_POWER),
    );
  }
  steps.push({
    name: "start real-time inventory",
    bytes: realTimeInventoryCommand(),
    timeoutMs: 2000,
    answer: (m): Answer => {
      if (m.kind === "tag") return "done";
      if (!endsInventory(m)) return undefined;
      if (m.kind !== "error" || m.status === ErrorCode.NO_TAG) return "done";
      return { failed: m.message };
    },
  });
  return steps;
}

/**
 * After a round summary: the next configured antenna (after the one the summary names) and a
 * new 0x89, in one write. After "no tag": 0x89 again. After any other inventory error
 * (antenna missing…): nothing, so the session reports it and restarts reading with backoff.
 */
export function continueAfter(
  message: ReaderMessage,
  settings: ReaderSettings,
): Uint8Array | undefined {
  if (!endsInventory(message)) return undefined;
  if (message.kind === "error") {
    return message.status === ErrorCode.NO_TAG ? realTimeInventoryCommand() : undefined;
  }
  if (message.kind !== "round-end") return undefined;
  const ports = portsOf(settings);
  if (ports.length === 1) return realTimeInventoryCommand();
  const current = ports.indexOf((message.payload[0] ?? 0) + 1);
  const next = ports[(current + 1) % ports.length] as number;
  const select = setWorkAntennaCommand(next);
  const inventory = realTimeInventoryCommand();
  const bytes = new Uint8Array(select.length + inventory.length);
  bytes.set(select, 0);
  bytes.set(inventory, select.length);
  return bytes;
}
