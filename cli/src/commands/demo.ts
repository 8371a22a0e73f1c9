import { resolve } from "node:path";
import { createLogger } from "@comptoir/contracts";
import { type Command, integerOption, stringOption } from "../command.js";
import { DEMO_CLERK, DEMO_SUPERVISOR, startDemoSite } from "../demo/site.js";
import { demoPaths, PERSON_COUNTER, SIMULATED_COUNTER } from "../demo/site-layout.js";

export const demo: Command = {
  name: "demo",
  summary: "run a whole simulated site: gateway, broker, four nodes, simulated readers and staff",
  usage: "[--data DIR] [--port N] [--seed N]",
  help: `Starts the gateway (embedded MQTT broker, SQLite store, dashboard), a dock-door portal node,
a shelf node and two counter nodes, each fed by a simulated reader over TCP speaking its own
protocol (ThingMagic, Impinj R2000, text lines), and simulated staff receiving, putting away,
picking, shipping and selling goods. The simulated clerk sells at counter-2; counter-1 is yours:
nothing simulated touches its basket. Prints the dashboard URL, both counters' POS page URLs and
the file holding an admin token.
Runs until Ctrl-C; run it again on the same data directory and it resumes.

  --data DIR   where everything is kept (default: .comptoir-demo in the current directory)
  --port N     the dashboard's port (default 8000; a free one when it is taken)
  --seed N     seed of the simulated staff's choices`,
  options: {
    data: { type: "string" },
    port: { type: "string" },
    seed: { type: "string" },
  },
  async run({ values, io }) {
    const root = resolve(stringOption(values, "data") ?? ".comptoir-demo");
    const httpPort = integerOption(values, "port", 0, 65535) ?? 8000;
    const seed = integerOption(values, "seed", 0, 2 ** 31);
    const logger = createLogger({ level: io.verbose ? "info" : "warn", name: "comptoir-demo" });
    const say = (line: string) => io.stdout.write(`  ${time()}  ${line}\n`);
    io.stdout.write(`Comptoir demo: a simulated site in ${root}\n`);
    const site = await startDemoSite({
      root,
      httpPort,
      logger,
      say,
      ...(seed === undefined ? {} : { seed }),
    });
    io.stdout.write(
      [
        "",
        `  dashboard   ${site.dashboardUrl}`,
        `  POS page    ${site.posUrl}  (${PERSON_COUNTER}, yours: clerk ${DEMO_CLERK.name}, PIN ${DEMO_CLERK.pin}; supervisor ${DEMO_SUPERVISOR.name}, PIN ${DEMO_SUPERVISOR.pin})`,
        `              ${site.simulatedPosUrl}  (${SIMULATED_COUNTER}, where the simulated clerk sells: watch it there)`,
        `  API         ${site.gateway.url}/api/v1  (OpenAPI at /api/v1/openapi.json)`,
        // Its path, not the token: a terminal's scrollback and logs are read by others.
        `  admin token in ${demoPaths(root).adminToken}  (mode 0600)`,
        `  ERP         every webhook the gateway sends, one JSON line each: ${demoPaths(root).erpJournal}`,
        `  file drop   ${demoPaths(root).exchange}: drop files in inbound/<kind>/ (invoices, payments, orders, customers, products); exports land in outbound/`,
        "",
        "Sign in to the dashboard with the token in that file. Ctrl-C stops; running again resumes.",
        "",
      ].join("\n"),
    );
    const signal = await io.waitForStop();
    io.stdout.write(`stopping (${signal})…\n`);
    await site.stop();
    io.stdout.write("stopped\n");
    return 0;
  },
};

function time(): string {
  return new Date().toTimeString().slice(0, 8);
}
