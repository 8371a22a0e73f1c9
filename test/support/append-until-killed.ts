/**
 * Child process for the crash test: opens the ledger at argv[2] with the
 * identity in argv[3], appends as fast as it can, and prints on stdout the
 * highest seq acknowledged as durable, each time that grows. Runs until
 * killed. (Writes to a pipe are synchronous on Linux, so a printed seq was
 * acknowledged before any later kill.)
 */
import { loadIdentity } from "@comptoir/contracts";
import { Ledger } from "@comptoir/device";

const [dir, dataDir] = process.argv.slice(2) as [string, string];
const ledger = await Ledger.open({
  dir,
  chain: "crash-node",
  identity: await loadIdentity(dataDir),
  groupCommitMs: 2,
  checkpointEvery: 50,
});
let acknowledged = ledger.durable.seq;
process.stdout.write(`ready ${acknowledged}\n`);

// Several bursts in flight, so that kills land between, during and after group commits.
const IN_FLIGHT = 3;
const BURST = 20;
async function burst(): Promise<void> {
  for (;;) {
    const appends = Array.from({ length: BURST }, (_, i) =>
      ledger.append("movement", { i, epc: "3034257BF7194E4000001A85" }),
    );
    const last = (await Promise.all(appends)).at(-1);
    if (last && last.seq > acknowledged) {
      acknowledged = last.seq;
      process.stdout.write(`acked ${acknowledged}\n`);
    }
  }
}
await Promise.all(Array.from({ length: IN_FLIGHT }, burst));
