import { open } from "node:fs/promises";

/**
 * Bytes at the end of a segment after its last newline: a line whose write
 * was torn by a crash or power loss. Every acknowledged entry ends with its
 * newline (the write and fsync cover the whole line), so these bytes never
 * hold an acknowledged entry.
 */
export async function tornTail(path: string): Promise<{ size: number; keep: number }> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const chunk = Buffer.allocUnsafe(64 * 1024);
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const { bytesRead } = await handle.read(chunk, 0, end - start, start);
      const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
      if (newline >= 0) return { size, keep: start + newline + 1 };
      end = start;
    }
    return { size, keep: 0 };
  } finally {
    await handle.close();
  }
}

/** Cuts a torn tail off and makes the cut durable. Returns how many bytes were removed. */
export async function cutTornTail(path: string): Promise<number> {
  const { size, keep } = await tornTail(path);
  if (keep === size) return 0;
  const handle = await open(path, "r+");
  try {
    await handle.truncate(keep);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return size - keep;
}
