// A service that blocks its own event loop for a while, as a hung parser or
// a runaway synchronous loop would: run under a fake NOTIFY_SOCKET by
// test/systemd-notify.test.ts. The marks around each phase go out with
// execFileSync (systemd-notify waits until the socket has read them), so
// they sit in the socket's order exactly where the phases begin and end.
import { execFileSync } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { ServiceNotifier } from "@comptoir/cli/systemd";
import { silentLogger } from "@comptoir/contracts";

const PHASE_MS = Number(process.argv[2] ?? 2000);
const mark = (status: string) => execFileSync("systemd-notify", [`STATUS=${status}`]);

const notifier = new ServiceNotifier({ env: process.env, logger: silentLogger });
notifier.ready("ready");
await sleep(PHASE_MS / 4);

mark("idle");
await sleep(PHASE_MS);
mark("blocking");
const until = Date.now() + PHASE_MS;
while (Date.now() < until) {
  // Busy: no timer of this loop runs, so no ping either.
}
mark("unblocked");
await sleep(PHASE_MS / 2);
notifier.stopping("done");
await notifier.close();
