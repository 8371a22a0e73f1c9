import { mkdir, open, readFile, rename } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { sgtin96 } from "../readers/sgtin.js";
import type { DemoProduct } from "./demo-data.js";
import { LiveField } from "./live-field.js";
import { HeldOrderSchema } from "./sales-desk.js";

/** What left through the dock for one order: what the accounting side invoices. */
export const ShipmentSchema = z.strictObject({
  order: z.string(),
  customer: z.string(),
  /** GTIN → quantity. */
  lines: z.record(z.string(), z.number().int().min(1)),
  at: z.string(),
  invoiced: z.boolean(),
  /** A counter sale paid in cash: invoiced and paid at once. */
  cash: z.boolean().optional(),
});
export type Shipment = z.infer<typeof ShipmentSchema>;

/** What came in through the dock under a purchase order: what the supplier invoices. */
export const DeliverySchema = z.strictObject({
  po: z.string(),
  /** GTIN → quantity. */
  lines: z.record(z.string(), z.number().int().min(1)),
  at: z.string(),
  invoiced: z.boolean(),
});
export type Delivery = z.infer<typeof DeliverySchema>;

const WorldStateSchema = z.strictObject({
  /** Next serial per GTIN: tags are never reused. */
  serials: z.record(z.string(), z.number().int().min(1)),
  /** Items on the shelves: EPC → GTIN and bay antenna. */
  shelved: z.record(z.string(), z.strictObject({ gtin: z.string(), bay: z.number().int() })),
  orders: z.number().int().min(0),
  sales: z.number().int().min(0),
  invoices: z.number().int().min(0).optional(),
  shipments: z.array(ShipmentSchema),
  purchases: z.number().int().min(0).optional(),
  deliveries: z.array(DeliverySchema).optional(),
  /** Dock orders the gateway held: kept aside, nothing picked, asked about again. */
  held: z.array(HeldOrderSchema).optional(),
});
export type WorldState = z.infer<typeof WorldStateSchema>;

/**
 * The physical side of a simulated site: the tags in front of each reader,
 * and what the site's staff and accounting know (shelved items, shipments).
 * Saved to a file after each change so that a restarted demo resumes with
 * the same goods on the same shelves.
 */
export class SiteWorld {
  readonly portal = new LiveField();
  readonly shelf = new LiveField();
  readonly counter = new LiveField();
  #saving: Promise<void> = Promise.resolve();

  private constructor(
    readonly state: WorldState,
    private readonly file: string | undefined,
  ) {
    for (const [epc, item] of Object.entries(state.shelved))
      this.putOnShelf(epc, item.gtin, item.bay);
  }

  /**
   * Loads the world from `file`: a fresh one when it is missing, or when it
   * cannot be read back (then `onProblem` says why — a simulation can start
   * over, but not without saying so).
   */
  static async open(file?: string, onProblem?: (message: string) => void): Promise<SiteWorld> {
    let state: WorldState = { serials: {}, shelved: {}, orders: 0, sales: 0, shipments: [] };
    if (file) {
      let text: string | undefined;
      try {
        text = await readFile(file, "utf8");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
      if (text !== undefined) {
        let parsed: ReturnType<typeof WorldStateSchema.safeParse> | undefined;
        try {
          parsed = WorldStateSchema.safeParse(JSON.parse(text));
        } catch {
          onProblem?.(`${file} is not JSON: the simulated site starts over`);
        }
        if (parsed?.success) state = parsed.data;
        else if (parsed) {
          const issue = parsed.error.issues[0];
          onProblem?.(
            `${file}: ${issue?.path.join(".") || "(root)"} ${issue?.message}: the simulated site starts over`,
          );
        }
      }
    }
    return new SiteWorld(state, file);
  }

  /** New tags for `count` items of a product. */
  newItems(product: DemoProduct, count: number): string[] {
    const first = this.state.serials[product.gtin] ?? 1;
    this.state.serials[product.gtin] = first + count;
    return Array.from({ length: count }, (_, i) => sgtin96(product.gtin, first + i));
  }

  putOnShelf(epc: string, gtin: string, bay: number): void {
    this.state.shelved[epc] = { gtin, bay };
    // Shelf tags are read continuously, a few times a second.
    this.shelf.show(epc, { antennas: [bay], rssi: -62, periodMs: 400 });
  }

  takeFromShelf(epc: string): void {
    delete this.state.shelved[epc];
    this.shelf.hide(epc);
  }

  shelvedItems(): { epc: string; gtin: string; bay: number }[] {
    return Object.entries(this.state.shelved).map(([epc, item]) => ({ epc, ...item }));
  }

  /** Writes the state durably (temporary file, fsync, rename); calls are serialised. */
  save(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    const text = JSON.stringify(this.state);
    this.#saving = this.#saving.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      const temporary = `${file}.tmp`;
      const handle = await open(temporary, "w");
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, file);
    });
    return this.#saving;
  }
}
