import { execFile, spawnSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * An ext4 file system in an image file, mounted through a loop device: a
 * block device whose every write reaches the image file, so a copy of the
 * image is exactly what the "card" holds. What a process wrote but never
 * fsynced sits in this kernel's page cache above the loop device, not in
 * the image: copying the image right after killing the process is a power
 * cut at that instant (the page cache is lost, the device keeps what it got).
 *
 * Mounted with `commit=600`, so the file system commits its journal only
 * when asked (an fsync) within a test's few seconds, not on its own 5 s
 * timer; the kernel's background writeback waits 30 s for dirty pages.
 */
export class LoopImage {
  private constructor(
    readonly image: string,
    readonly mountPoint: string,
  ) {}

  /** Makes a fresh ext4 image of `megabytes` at `image` (not mounted). */
  static async format(image: string, megabytes: number): Promise<void> {
    await run("truncate", ["-s", `${megabytes}M`, image]);
    await run("mkfs.ext4", ["-q", "-F", image]);
  }

  /** Mounts `image` at a fresh directory; its journal is replayed, as at boot after a power cut. */
  static async mount(image: string): Promise<LoopImage> {
    const mountPoint = await mkdtemp(join(tmpdir(), "comptoir-loop-mnt-"));
    try {
      await run("mount", ["-o", "loop,commit=600", image, mountPoint]);
    } catch (error) {
      await rm(mountPoint, { recursive: true, force: true });
      throw error;
    }
    return new LoopImage(image, mountPoint);
  }

  /** The power cut: a copy of what the block device holds now, to mount as the next boot. */
  async cut(to: string): Promise<void> {
    await copyFile(this.image, to);
  }

  /** Unmounts (which detaches the loop device) and removes the mount point. */
  async unmount(): Promise<void> {
    await run("umount", [this.mountPoint]);
    await rm(this.mountPoint, { recursive: true, force: true });
  }
}

/**
 * Why a loop-mounted ext4 cannot be used here, or undefined when it can:
 * tried for real (format, mount, unmount a small image), since root alone
 * is not enough in a container without loop devices or mount rights.
 */
export function loopFsUnavailable(): string | undefined {
  if (process.platform !== "linux") return "loop devices are Linux only";
  if (process.getuid?.() !== 0) return "mounting a loop device needs root";
  for (const command of ["mkfs.ext4", "mount", "umount", "truncate"]) {
    if (spawnSync("sh", ["-c", `command -v ${command}`]).status !== 0)
      return `${command} is not installed`;
  }
  const dir = spawnSync("mktemp", ["-d"], { encoding: "utf8" }).stdout.trim();
  if (!dir) return "cannot make a temporary directory";
  const image = join(dir, "probe.img");
  const mountPoint = join(dir, "mnt");
  try {
    const steps: [string, string[]][] = [
      ["truncate", ["-s", "8M", image]],
      ["mkfs.ext4", ["-q", "-F", image]],
      ["mkdir", [mountPoint]],
      ["mount", ["-o", "loop", image, mountPoint]],
    ];
    for (const [command, args] of steps) {
      const done = spawnSync(command, args, { encoding: "utf8" });
      if (done.status !== 0)
        return `\`${command} ${args.join(" ")}\` failed here: ${(done.stderr || done.error?.message || "").replace(/\s+/g, " ").trim()}`;
    }
    spawnSync("umount", [mountPoint]);
    return undefined;
  } finally {
    spawnSync("rm", ["-rf", dir]);
  }
}

/** A scratch directory for images, removed by the returned cleanup. */
export async function imageDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "comptoir-power-cut-"));
  await mkdir(dir, { recursive: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
