/** The device package's reader codecs that the simulators speak, in one place. */

export type { ProtocolName } from "@comptoir/device";
export * as em4100 from "@comptoir/device/readers/em4100";
export * as line from "@comptoir/device/readers/line";
export * as r2000 from "@comptoir/device/readers/r2000";
export * as thingmagic from "@comptoir/device/readers/thingmagic";
