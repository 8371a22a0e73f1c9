import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

const BIN = join(import.meta.dirname, "..", "..", "bin", "comptoir.mjs");

/** `comptoir node --config FILE` in its own process, as an operator runs it. */
export interface NodeProcess {
  child: ChildProcess;
  pid: number;
  /** The local API, as the command printed it. */
  url: string;
  /** Its stderr so far (JSON logs), for failure messages. */
  stderr(): string;
  /** Resolves with the exit code (null) and signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the node and resolves once it printed its local API URL. */
export async function startNodeProcess(config: string): Promise<NodeProcess> {
  const child = spawn(process.execPath, [BIN, "node", "--config", config], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
      const match = /local API at (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then(({ code, signal }) =>
      reject(
        new Error(
          `comptoir node exited (code ${code}, signal ${signal}) before printing its URL:\n${stdout}\n${stderr}`,
        ),
      ),
    );
  });
  if (child.pid === undefined) throw new Error("comptoir node has no pid");
  return { child, pid: child.pid, url, stderr: () => stderr, exited };
}

/** SIGKILL: no flush, no offline message, no snapshot. */
export async function killHard(node: NodeProcess): Promise<void> {
  node.child.kill("SIGKILL");
  await node.exited;
}

/** SIGTERM, and the exit code it ended with. */
export async function stopCleanly(node: NodeProcess): Promise<number | null> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return node.child.exitCode;
  node.child.kill("SIGTERM");
  return (await node.exited).code;
}
