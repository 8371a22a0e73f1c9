import { z } from "zod";

/**
 * The folder the gateway shares with the ERP (a mounted share, or the
 * folder an SFTP server serves): `inbound/<kind>/` for files to import,
 * `outbound/` for the scheduled exports. Absent: no file drop.
 */
export const FileDropConfigSchema = z.strictObject({
  /** Relative to the gateway's data directory (gateway.dataDir), or absolute. */
  directory: z.string().min(1).optional(),
  /**
   * Inbound: how often each `inbound/<kind>/` folder is listed. Polling, not
   * file-system events: network shares and SFTP folders do not deliver them.
   */
  pollMs: z.number().int().min(100).max(600_000).default(2000),
  /**
   * Inbound: a file is read only once its size and modification time have
   * not changed for this long (a writer that cannot write to a temp name and
   * rename may still be copying it). Names starting with `.` or ending in
   * `.tmp` or `.part` are never read, whatever their age.
   */
  settleMs: z.number().int().min(0).max(3_600_000).default(5000),
  /** Inbound: a larger file is not read (it would be held whole in memory) but moved to `error/`. */
  maxFileBytes: z
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(64 * 1024 * 1024),
});
export type FileDropConfig = z.infer<typeof FileDropConfigSchema>;
