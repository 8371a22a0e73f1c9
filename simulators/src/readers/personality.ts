import { em4100, line, type ProtocolName, r2000, thingmagic } from "./device.js";
import type { SimRead } from "./field.js";

/** What the host's bytes asked the simulated reader to do. */
export type HostAction =
  | { kind: "reply"; bytes: Uint8Array }
  | { kind: "start" }
  | { kind: "stop"; ack: Uint8Array }
  | { kind: "round"; antenna: number; cmd: number }
  | { kind: "antenna"; antenna: number };

/**
 * How one reader model behaves on the wire: it answers host commands with the
 * protocol folder's host-command decoder and reply encoders, and encodes tag
 * records byte-exact. `mode` says when it streams: after a start command
 * (ThingMagic), one inventory round per command (R2000), or always (EM4100, line).
 */
export interface Personality {
  readonly protocol: ProtocolName;
  readonly mode: "continuous" | "rounds" | "always";
  host(chunk: Uint8Array): HostAction[];
  tag(read: SimRead): Uint8Array;
  roundEnd?(antenna: number, count: number, rate: number, cmd: number): Uint8Array;
  /** Sent while streaming when nothing was read for a second. */
  keepAlive?(): Uint8Array;
}

const R2000_ADDRESS = 0x01;

export function personality(protocol: ProtocolName): Personality {
  switch (protocol) {
    case "thingmagic": {
      const decoder = thingmagic.createHostCommandDecoder();
      return {
        protocol,
        mode: "continuous",
        host(chunk) {
          const out: HostAction[] = [];
          for (const command of decoder.push(chunk)) {
            const reply = thingmagic.encodeReplyTo(command);
            if (command.opcode === thingmagic.Opcode.MULTI_PROTOCOL_TAG_OP) {
              if (command.data[2] === 0x02) out.push({ kind: "stop", ack: reply });
              else out.push({ kind: "reply", bytes: reply }, { kind: "start" });
            } else out.push({ kind: "reply", bytes: reply });
          }
          return out;
        },
        tag: (read) =>
          thingmagic.encodeTagRecord({
            epc: wordEpc(read.epc),
            antenna: read.antenna,
            rssi: read.rssi,
            readerTime: Math.round(read.time) >>> 0,
          }),
        keepAlive: () => thingmagic.encodeKeepAlive(),
      };
    }
    case "r2000": {
      const decoder = r2000.createHostCommandDecoder();
      return {
        protocol,
        mode: "rounds",
        host(chunk) {
          const out: HostAction[] = [];
          for (const command of decoder.push(chunk)) {
            if (
              command.cmd === r2000.Cmd.REAL_TIME_INVENTORY ||
              command.cmd === r2000.Cmd.CUSTOMIZED_SESSION_TARGET_INVENTORY
            ) {
              out.push({ kind: "round", antenna: 0, cmd: command.cmd });
              continue;
            }
            if (command.cmd === r2000.Cmd.SET_WORK_ANTENNA) {
              out.push({ kind: "antenna", antenna: (command.data[0] ?? 0) + 1 });
            }
            const reply = r2000.encodeReplyTo(command, R2000_ADDRESS);
            if (reply) out.push({ kind: "reply", bytes: reply });
          }
          return out;
        },
        tag: (read) =>
          r2000.encodeTagRecord(
            {
              epc: read.epc,
              antenna: read.antenna,
              rssi: read.rssi,
              channel: 7 + (read.epc.charCodeAt(read.epc.length - 1) % 50),
            },
            { address: R2000_ADDRESS },
          ),
        roundEnd: (antenna, count, rate, cmd) =>
          r2000.encodeRoundEnd(
            { antenna, readRate: rate, totalRead: count },
            { address: R2000_ADDRESS, cmd },
          ),
      };
    }
    case "em4100":
      return {
        protocol,
        mode: "always",
        host: () => [],
        tag: (read) => em4100.encodeCardFrame(cardIdOf(read.epc)),
      };
    case "line":
      return {
        protocol,
        mode: "always",
        host: () => [],
        tag: (read) => line.encodeEpcLine(wordEpc(read.epc)),
      };
  }
}

/** An EM4100 card id for a tag: the id itself, or the last 10 hex digits of an EPC. */
export function cardIdOf(epc: string): string {
  return epc.length === 10 ? epc : epc.slice(-10).padStart(10, "0");
}

/** An EPC in whole 16-bit words, as UHF tags have: a 10-digit card id gets leading zeros. */
export function wordEpc(epc: string): string {
  return epc.length % 4 === 0 ? epc : epc.padStart(Math.ceil(epc.length / 4) * 4, "0");
}
