import { existsSync } from "node:fs";
import { mkdir, open, readdir, rename, rm } from "node:fs/promises";
import { join } from "node:path";

/** `payment-letters_20261207T223000Z.csv`: the kind, then the UTC date and time of the export. */
function stamp(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

/**
 * `<fileDrop.directory>/outbound/`, the folder the ERP collects from. A file
 * appears there whole or not at all: it is written under a dot-prefixed
 * temp name (`.aged-balance_….csv.tmp`, which an ERP's pick-up ignores),
 * fsynced, then renamed, and the folder is fsynced so that the rename
 * survives a power cut. A name is never reused, so no export overwrites
 * another, even one the ERP has not collected yet.
 */
export class OutboundFolder {
  constructor(readonly directory: string) {}

  /** A name for a `kind` export at `at` that no file, temp file nor `taken` name has. */
  nameFor(kind: string, at: Date, taken: (name: string) => boolean = () => false): string {
    const base = `${kind}_${stamp(at)}`;
    for (let n = 1; ; n++) {
      const name = n === 1 ? `${base}.csv` : `${base}-${n}.csv`;
      if (!taken(name) && !this.exists(name) && !existsSync(this.tempPath(name))) return name;
    }
  }

  exists(name: string): boolean {
    return existsSync(join(this.directory, name));
  }

  tempExists(name: string): boolean {
    return existsSync(this.tempPath(name));
  }

  /** Writes `content` as `name`: temp, fsync, rename, fsync the folder. Returns the file's path. */
  async write(name: string, content: string): Promise<string> {
    await this.reserve(name);
    return this.fill(name, content);
  }

  /** Creates the empty temp file of `name` (and the folder), durably: the first half of `write`. */
  async reserve(name: string): Promise<void> {
    await mkdir(this.directory, { recursive: true });
    const handle = await open(this.tempPath(name), "w");
    await handle.close();
    await this.syncFolder();
  }

  /** Fills the temp file of `name` with `content`, then renames it into view: the second half. */
  async fill(name: string, content: string): Promise<string> {
    const temp = this.tempPath(name);
    const handle = await open(temp, "w");
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const target = join(this.directory, name);
    await rename(temp, target);
    await this.syncFolder();
    return target;
  }

  /** The names whose temp files lie in the folder (a write cut short), for `kind`. */
  async leftTemps(kind: string): Promise<string[]> {
    if (!existsSync(this.directory)) return [];
    const prefix = `.${kind}_`;
    return (await readdir(this.directory))
      .filter((file) => file.startsWith(prefix) && file.endsWith(".tmp"))
      .map((file) => file.slice(1, -".tmp".length));
  }

  async removeTemp(name: string): Promise<void> {
    await rm(this.tempPath(name), { force: true });
  }

  private tempPath(name: string): string {
    return join(this.directory, `.${name}.tmp`);
  }

  private async syncFolder(): Promise<void> {
    const folder = await open(this.directory, "r");
    try {
      await folder.sync();
    } finally {
      await folder.close();
    }
  }
}
