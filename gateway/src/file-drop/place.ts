import { access, link, mkdir, rename, unlink, writeFile } from "node:fs/promises";
import { extname, join } from "node:path";

/** Link errors of file systems without hard links (some SMB and FUSE shares): fall back to rename. */
const NO_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS", "EXDEV", "EACCES"]);

function codeOf(error: unknown): string | undefined {
  return error instanceof Error && "code" in error ? String(error.code) : undefined;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** `20261207T154431Z`: sorts by time, valid on every file system. */
function stamp(at: Date): string {
  return at
    .toISOString()
    .replace(/\.\d{3}/, "")
    .replace(/[-:]/g, "");
}

/**
 * The names a file may take in `archive/` or `error/`, in order: its own,
 * then with the time it was taken (`invoices.20261207T154431Z.csv`), then
 * with a counter as well.
 */
export function* candidateNames(name: string, at: Date): Generator<string> {
  yield name;
  const extension = extname(name);
  const stem = name.slice(0, name.length - extension.length);
  yield `${stem}.${stamp(at)}${extension}`;
  for (let n = 2; ; n++) yield `${stem}.${stamp(at)}-${n}${extension}`;
}

export const REPORT_SUFFIX = ".errors.txt";

/**
 * Moves `source` into `folder` under the first free candidate name (a
 * name is free when neither it nor its `.errors.txt` report exists): an
 * earlier file is never overwritten. A hard link refuses an existing name
 * atomically; where the share has no links, a checked rename. `before`
 * runs once the name is chosen, before the file arrives (the error report
 * is written there, so the file never sits in error/ without it).
 * Returns the name taken.
 */
export async function moveWithoutOverwrite(
  source: string,
  folder: string,
  name: string,
  at: Date,
  before?: (chosen: string) => Promise<void>,
): Promise<string> {
  await mkdir(folder, { recursive: true });
  for (const candidate of candidateNames(name, at)) {
    const target = join(folder, candidate);
    if ((await exists(target)) || (await exists(target + REPORT_SUFFIX))) continue;
    await before?.(candidate);
    try {
      await link(source, target);
      await unlink(source);
      return candidate;
    } catch (error) {
      const code = codeOf(error);
      if (code === "EEXIST") continue;
      if (!code || !NO_LINKS.has(code)) throw error;
    }
    // No hard links here: the name was checked free just above, and only the gateway writes in this folder.
    await rename(source, target);
    return candidate;
  }
  throw new Error("unreachable: candidate names never run out");
}

/** Writes a text file under a temp name, then renames it: a reader never sees half of it. */
export async function writeWhole(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}
