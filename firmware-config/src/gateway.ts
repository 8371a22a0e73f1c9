import { TopicIdSchema } from "@comptoir/contracts";
import { z } from "zod";
import { HttpConfigSchema, LedgerConfigSchema, LogConfigSchema, MqttUrlSchema } from "./common.js";

export const GatewayConfigSchema = z.strictObject({
  gateway: z.strictObject({
    site: TopicIdSchema,
    /** The gateway's key, ledger and SQLite store; relative to the config file. */
    dataDir: z.string().min(1).default("./data"),
  }),
  /** The embedded broker (the default), or, with `url`, an external one. */
  mqtt: z
    .strictObject({
      embedded: z
        .strictObject({
          host: z.string().min(1).default("127.0.0.1"),
          port: z.number().int().min(0).max(65535).default(1883),
        })
        .prefault({}),
      /** An external broker (Mosquitto, EMQX) instead of the embedded one: mqtt://host:1883, mqtts://… */
      url: MqttUrlSchema.optional(),
      username: z.string().optional(),
      password: z.string().optional(),
      ca: z.string().optional(),
      cert: z.string().optional(),
      key: z.string().optional(),
    })
    .prefault({}),
  ledger: LedgerConfigSchema.prefault({}),
  http: HttpConfigSchema.prefault({}),
  log: LogConfigSchema.prefault({}),
});
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
