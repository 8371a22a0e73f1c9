import { readFile } from "node:fs/promises";
import { describeProblem, toProblems } from "@comptoir/contracts";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { sgtin96 } from "./sgtin.js";

/**
 * A reader scenario: which tags a simulated reader sees, on which antennas,
 * when, how often and how strongly. YAML or JSON; see simulators/README.md.
 */

const Ms = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 3600 * 1000);
const Antennas = z.array(z.number().int().min(1).max(8)).min(1).max(8);
const Gtin = z
  .string()
  .regex(/^\d{14}$/, "must be a 14-digit GTIN")
  .refine(checkDigitOk, "has a wrong check digit");

/** What every item and population shares: presence, antennas, repeat rate, signal. */
const Presence = {
  /** Antennas (1-based) that see it; each read goes to the next one in turn. */
  antennas: Antennas.default([1]),
  /** When it enters the field, ms after reading starts. */
  from: Ms.default(0),
  /** When it leaves the field; absent = never. */
  to: Ms.optional(),
  /** Reads per second while in the field (a real reader reports a tag many times a second). */
  rate: z.number().positive().max(1000).default(4),
  /** Signal in dBm; each read varies by up to ±3 dB. */
  rssi: z.number().min(-100).max(0).default(-60),
};

const SgtinFields = {
  gtin: Gtin,
  serial: z.number().int().min(0).max(274_877_906_943),
  /** Digits of the GS1 company prefix inside the GTIN (6–12); 7 by default. */
  companyPrefixDigits: z.number().int().min(6).max(12).default(7),
  /** SGTIN filter value; 1 = point-of-sale item. */
  filter: z.number().int().min(0).max(7).default(1),
};

export const ScenarioItemSchema = z.union([
  z.strictObject({ ...SgtinFields, ...Presence }),
  z.strictObject({
    /** A raw EPC in hex (whole 16-bit words), for non-GS1 tags. */
    epc: z
      .string()
      .regex(/^(?:[0-9A-Fa-f]{4}){1,31}$/, "must be hex in whole 16-bit words (4 to 124 digits)"),
    ...Presence,
  }),
  z.strictObject({
    /** An EM4100 card id: 10 hex digits (version byte + 32-bit serial). */
    card: z.string().regex(/^[0-9A-Fa-f]{10}$/, "must be 10 hex digits"),
    ...Presence,
  }),
]);

/** Many items of one GTIN with consecutive serials (or random SGTINs when no GTIN). */
export const PopulationSchema = z.strictObject({
  count: z.number().int().min(1).max(1_000_000),
  gtin: Gtin.optional(),
  firstSerial: z.number().int().min(0).default(1),
  companyPrefixDigits: SgtinFields.companyPrefixDigits,
  filter: SgtinFields.filter,
  ...Presence,
});

export const ScenarioSchema = z
  .strictObject({
    name: z.string().max(200).optional(),
    /** Replay from the start once the last item has left (needs every item to have `to`). */
    loop: z.boolean().default(false),
    /** Seed of the random choices (rssi jitter, read phases, random EPCs): same seed, same stream. */
    seed: z.number().int().default(1),
    items: z.array(ScenarioItemSchema).max(1_000_000).default([]),
    populations: z.array(PopulationSchema).max(100).default([]),
  })
  .refine((s) => s.items.length + s.populations.length > 0, "needs items or populations")
  .refine(
    (s) => !s.loop || [...s.items, ...s.populations].every((i) => i.to !== undefined),
    "loop needs every item and population to have `to`",
  );

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;

export class ScenarioError extends Error {
  override name = "ScenarioError";
}

/** Validates a parsed scenario; every problem is listed by its path. */
export function parseScenario(value: unknown, where = "scenario"): Scenario {
  const parsed = ScenarioSchema.safeParse(value);
  if (!parsed.success) {
    const problems = toProblems(parsed.error.issues).map(describeProblem);
    throw new ScenarioError(`${where} is invalid: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/** Reads a scenario file, YAML or JSON (JSON is YAML). */
export async function loadScenario(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ScenarioError(
      `cannot read scenario ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new ScenarioError(
      `${path} is not YAML or JSON: ${(error as Error).message.split("\n")[0]}`,
    );
  }
  return parseScenario(value, path);
}

/** One tag in the simulated field, flattened from items and populations. */
export interface FieldTag {
  epc: string;
  antennas: number[];
  from: number;
  to: number;
  periodMs: number;
  rssi: number;
}

/** The scenario's tags, with EPCs computed (SGTIN-96 for GTIN + serial). */
export function fieldTags(scenario: Scenario, random: () => number): FieldTag[] {
  const tags: FieldTag[] = [];
  const presence = (p: {
    antennas: number[];
    from: number;
    to?: number | undefined;
    rate: number;
    rssi: number;
  }) => ({
    antennas: p.antennas,
    from: p.from,
    to: p.to ?? Number.POSITIVE_INFINITY,
    periodMs: 1000 / p.rate,
    rssi: p.rssi,
  });
  for (const item of scenario.items) {
    const epc =
      "gtin" in item
        ? sgtin96(item.gtin, item.serial, item.companyPrefixDigits, item.filter)
        : "epc" in item
          ? item.epc.toUpperCase()
          : item.card.toUpperCase();
    tags.push({ epc, ...presence(item) });
  }
  for (const population of scenario.populations) {
    const gtin = population.gtin;
    for (let i = 0; i < population.count; i++) {
      const epc = gtin
        ? sgtin96(
            gtin,
            population.firstSerial + i,
            population.companyPrefixDigits,
            population.filter,
          )
        : randomSgtin(random, population.firstSerial + i);
      tags.push({ epc, ...presence(population) });
    }
  }
  return tags;
}

/** A random trade item (random company prefix and item) with the given serial. */
function randomSgtin(random: () => number, serial: number): string {
  let body = "0";
  for (let i = 0; i < 12; i++) body += Math.floor(random() * 10);
  return sgtin96(body + checkDigit(body), serial, 7, 1);
}

export function checkDigit(body13: string): string {
  let sum = 0;
  for (let i = 0; i < body13.length; i++) {
    sum += Number(body13[body13.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  }
  return String((10 - (sum % 10)) % 10);
}

function checkDigitOk(gtin: string): boolean {
  return checkDigit(gtin.slice(0, 13)) === gtin[13];
}
