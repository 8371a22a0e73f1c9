/**
 * The node's antennas and zones as dense indexes, so that the read path finds
 * a read's antenna and zone with one map lookup and two array reads.
 * An antenna is a (reader, port) pair: two readers may both have a port 1.
 */
export interface AntennaZone {
  reader: string;
  port: number;
  zone: string;
}

export class ZoneTable {
  /** Zone names, by zone index, in config order. */
  readonly zones: readonly string[];
  /** Antenna index → its port number (the evidence movements carry). */
  readonly ports: readonly number[];
  /** Antenna index → zone index. */
  readonly zoneOfAntenna: Int32Array;
  private readonly byReader = new Map<string, Int32Array>();
  private lastReader: string | undefined;
  private lastPorts: Int32Array | undefined;

  constructor(antennas: readonly AntennaZone[]) {
    const zones: string[] = [];
    const ports: number[] = [];
    const zoneOf: number[] = [];
    for (const { reader, port, zone } of antennas) {
      if (!Number.isInteger(port) || port < 1 || port > 64)
        throw new RangeError(`reader "${reader}": antenna port ${port} must be 1-64`);
      let table = this.byReader.get(reader);
      if (table === undefined) {
        table = new Int32Array(65);
        this.byReader.set(reader, table);
      }
      if (table[port] !== 0)
        throw new RangeError(`reader "${reader}": antenna port ${port} is mapped twice`);
      let zoneIndex = zones.indexOf(zone);
      if (zoneIndex < 0) zoneIndex = zones.push(zone) - 1;
      table[port] = ports.push(port);
      zoneOf.push(zoneIndex);
    }
    this.zones = zones;
    this.ports = ports;
    this.zoneOfAntenna = Int32Array.from(zoneOf);
  }

  get antennaCount(): number {
    return this.ports.length;
  }

  /** The antenna index of a reader's port, or -1 when the config maps no zone to it. */
  antenna(reader: string, port: number): number {
    let table = this.lastPorts;
    if (reader !== this.lastReader) {
      table = this.byReader.get(reader);
      this.lastReader = reader;
      this.lastPorts = table;
    }
    if (table === undefined || port < 1 || port > 64) return -1;
    return (table[port] ?? 0) - 1;
  }

  zoneIndex(zone: string): number {
    return this.zones.indexOf(zone);
  }
}
