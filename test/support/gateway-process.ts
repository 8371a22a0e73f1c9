import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { join } from "node:path";

const BIN = join(import.meta.dirname, "..", "..", "bin", "comptoir.mjs");

/** `comptoir gateway --config FILE` in its own process, as an operator runs it. */
export interface GatewayProcess {
  child: ChildProcess;
  /** The MQTT URL, as the command printed it. */
  mqttUrl: string;
  /** Its stderr so far (JSON logs), for failure messages. */
  stderr(): string;
  /** Resolves with the exit code and signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the gateway and resolves once it printed its MQTT URL. */
export async function startGatewayProcess(config: string): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [BIN, "gateway", "--config", config], {
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
  const mqttUrl = await new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      stdout += chunk;
      const match = /MQTT +(mqtts?:\/\/\S+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then(({ code, signal }) =>
      reject(
        new Error(
          `comptoir gateway exited (code ${code}, signal ${signal}) before printing its MQTT URL:\n${stdout}\n${stderr}`,
        ),
      ),
    );
  });
  return { child, mqttUrl, stderr: () => stderr, exited };
}

/** SIGKILL: no flush, no checkpoint, no clean close of the store. */
export async function killGatewayHard(gateway: GatewayProcess): Promise<void> {
  if (gateway.child.exitCode === null && gateway.child.signalCode === null)
    gateway.child.kill("SIGKILL");
  await gateway.exited;
}

/** SIGTERM, and the exit code it ended with. */
export async function stopGateway(gateway: GatewayProcess): Promise<number | null> {
  if (gateway.child.exitCode !== null || gateway.child.signalCode !== null)
    return gateway.child.exitCode;
  gateway.child.kill("SIGTERM");
  return (await gateway.exited).code;
}

/**
 * A loopback port that was free a moment ago: for a process that must listen
 * at the same address again after a restart.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  if (port === 0) throw new Error("no free loopback port found");
  return port;
}
