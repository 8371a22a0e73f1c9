import type { ReaderMessage, SkipReason } from "./types.js";

/** Lower-case hex of some bytes, for trace logs. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** "garbage 12, bad checksum 1", or "" when nothing was skipped. */
export function skippedText(skipped: Readonly<Record<SkipReason, number>> | undefined): string {
  if (!skipped) return "";
  return Object.entries(skipped)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${reason} ${n}`)
    .join(", ");
}

/** What an installer reads when bytes arrive but none of them is a frame. */
export function noFrameDetail(
  url: string,
  within: string,
  bytes: number,
  skipped: Readonly<Record<SkipReason, number>> | undefined,
): string {
  const counts = skippedText(skipped);
  return `no valid frame from ${url} within ${within} (${bytes} bytes received${counts ? `; skipped: ${counts}` : ""}) — wrong baud rate or protocol?`;
}

/** One non-tag message in a log line. */
export function describeMessage(message: ReaderMessage): string {
  switch (message.kind) {
    case "reply":
      return `reply 0x${message.command.toString(16)} status 0x${message.status.toString(16)} ${hex(message.payload)}`;
    case "round-end":
      return `round end 0x${message.command.toString(16)} ${hex(message.payload)}`;
    case "error":
      return `error 0x${message.command.toString(16)} 0x${message.status.toString(16)}: ${message.message}`;
    default:
      return message.kind;
  }
}
