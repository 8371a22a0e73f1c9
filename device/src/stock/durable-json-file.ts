import { open, readFile, rename } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Adapter } from "lowdb";
import { fsyncDirectory } from "../ledger/segments.js";

/**
 * A lowdb adapter that survives power loss: lowdb's own JSONFile renames
 * without fsync, which can leave an empty or zero-filled file. This one
 * writes a temporary file, fsyncs it, renames it over the old one and
 * fsyncs the directory. Reading a file that does not parse gives null,
 * as if it were missing: the caller rebuilds what it holds.
 */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(private readonly path: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      return null;
    }
  }

  async write(data: T): Promise<void> {
    const temporary = join(dirname(this.path), `.${basename(this.path)}.tmp`);
    const handle = await open(temporary, "w");
    try {
      await handle.writeFile(JSON.stringify(data));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.path);
    await fsyncDirectory(dirname(this.path));
  }
}
