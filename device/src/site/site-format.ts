import { type Logger, type SiteFormat, silentLogger } from "@comptoir/contracts";

/** Where the formats a node uses came from: its own config, or the gateway's `locale` message. */
export type SiteFormatSource = "node" | "gateway";

/**
 * The locale, currency and time zone a node writes money and dates in: its
 * own config's (`node.locale`, `node.currency`, `node.timeZone`) until the
 * gateway's arrive on the retained `locale` topic, then the gateway's, so
 * every screen of a site reads alike. Kept in memory: the broker hands the
 * retained message again at each connection.
 */
export class SiteFormats {
  private current: SiteFormat;
  private from: SiteFormatSource = "node";
  private readonly log: Logger;

  constructor(own: SiteFormat, options: { logger?: Logger } = {}) {
    this.current = withoutEmptyZone(own);
    this.log = (options.logger ?? silentLogger).child({ module: "site-format" });
  }

  get format(): SiteFormat {
    return this.current;
  }

  get source(): SiteFormatSource {
    return this.from;
  }

  /** Adopts the gateway's formats; true when anything changed. */
  fromGateway(gateway: SiteFormat): boolean {
    const next = withoutEmptyZone(gateway);
    const same =
      this.from === "gateway" &&
      next.locale === this.current.locale &&
      next.currency === this.current.currency &&
      next.timeZone === this.current.timeZone;
    if (same) return false;
    this.current = next;
    this.from = "gateway";
    this.log.info({ ...next }, "formatting money and dates as the gateway says");
    return true;
  }
}

function withoutEmptyZone(format: SiteFormat): SiteFormat {
  const { locale, currency, timeZone } = format;
  return timeZone ? { locale, currency, timeZone } : { locale, currency };
}
