/**
 * EPCIS wants each event's time with the offset of the place it happened at
 * that instant (`eventTimeZoneOffset`): the site's zone, summer or winter
 * time as it was then, not as it is now.
 */
export interface ZonedTime {
  /** `2026-03-01T09:15:00.000+01:00`: the same instant, written in the site's local time. */
  time: string;
  /** `+01:00`. */
  offset: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC in `timeZone` at `instant`. */
function offsetMinutes(timeZone: string, instant: Date): number {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
    formats.set(timeZone, format);
  }
  const name = format.formatToParts(instant).find((part) => part.type === "timeZoneName")?.value;
  // "GMT+01:00", "GMT-03:30", or "GMT" itself at offset zero.
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name ?? "");
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === "-" ? -minutes : minutes;
}

/** `instant` (ISO UTC) in `timeZone`, UTC when none is configured. */
export function zonedTime(iso: string, timeZone: string | undefined): ZonedTime {
  const instant = new Date(iso);
  const minutes = timeZone ? offsetMinutes(timeZone, instant) : 0;
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
  const local = new Date(instant.getTime() + minutes * 60_000).toISOString();
  return { time: `${local.slice(0, -1)}${offset}`, offset };
}
