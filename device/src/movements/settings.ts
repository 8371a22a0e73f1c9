import { ZoneSchema } from "@comptoir/contracts";
import {
  type NodeConfig,
  type SmoothingConfig,
  SmoothingConfigSchema,
} from "@comptoir/firmware-config";
import type { z } from "zod";
import type { AntennaZone, ZoneTable } from "./zones.js";

export type SmoothingInput = z.input<typeof SmoothingConfigSchema>;
export type NodeRole = NodeConfig["node"]["role"];

/** The smoothing settings with their defaults (firmware-config's SmoothingConfigSchema). */
export function smoothingSettings(input: SmoothingInput | undefined): SmoothingConfig {
  return SmoothingConfigSchema.parse(input ?? {});
}

/** Every antenna of the node's readers with its zone, in config order. */
export function antennaZones(config: Pick<NodeConfig, "readers">): AntennaZone[] {
  return config.readers.flatMap((reader) =>
    reader.antennas.map(({ port, zone }) => ({ reader: reader.id, port, zone })),
  );
}

/**
 * Checks that the zones a role records movements in can be recorded, and
 * gives a portal's zones from outside to inside (config order by default).
 */
export function checkZones(
  role: NodeRole,
  table: ZoneTable,
  smoothing: SmoothingConfig,
): { portalZones: string[] } {
  if (role === "portal" || role === "shelf") {
    for (const zone of table.zones) {
      const parsed = ZoneSchema.safeParse(zone);
      if (!parsed.success)
        throw new RangeError(
          `zone "${zone}" cannot be recorded in movements: ${parsed.error.issues[0]?.message} — rename it in the readers' antennas`,
        );
    }
  }
  if (role !== "portal") return { portalZones: [] };
  const portalZones = smoothing.portalZones ?? [...table.zones];
  const unknown = portalZones.filter((zone) => table.zoneIndex(zone) < 0);
  if (unknown.length > 0)
    throw new RangeError(
      `smoothing.portalZones names ${unknown.map((z) => `"${z}"`).join(", ")}, which no antenna maps to — use the zones of readers[].antennas`,
    );
  if (new Set(portalZones).size < 2)
    throw new RangeError(
      `a portal needs antennas in at least two zones (outside, then inside) to tell direction; it has ${JSON.stringify(portalZones)}`,
    );
  return { portalZones };
}
