import { z } from "zod";

/**
 * The folder the gateway shares with the ERP (a mounted share, or the
 * folder an SFTP server serves): `inbound/<kind>/` for files to import,
 * `outbound/` for the scheduled exports. Absent: no file drop.
 */
export const FileDropConfigSchema = z.strictObject({
  /** Relative to the gateway's data directory (gateway.dataDir), or absolute. */
  directory: z.string().min(1).optional(),
});
export type FileDropConfig = z.infer<typeof FileDropConfigSchema>;
