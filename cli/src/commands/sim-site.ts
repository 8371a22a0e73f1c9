import { resolve } from "node:path";
import { createLogger } from "@comptoir/contracts";
import { ApiCallError, JsonApi } from "@comptoir/simulators";
import { CliError, type Command, integerOption, requireOption, stringOption } from "../command.js";
import { DEMO_CLERK, DEMO_SUPERVISOR, startSimulatedSite } from "../demo/site.js";
import { PERSON_COUNTER, SIMULATED_COUNTER } from "../demo/site-layout.js";

interface Health {
  broker?: { state?: string; url?: string };
}

export const simSite: Command = {
  name: "sim site",
  summary:
    "drive a running gateway with a simulated site: four nodes, readers, staff and accounting",
  usage: "--gateway URL --token TOKEN --site SITE [--mqtt URL] [--data DIR] [--seed N]",
  help: `Enrolls a dock-door portal, a shelf and a counter node with the gateway (and creates the
demo's products and customers if missing), runs them here on simulated readers over TCP, and
simulates the staff (receiving, put-away, picking, shipping, counter sales) and the accounting
software (invoices, bank payments) until Ctrl-C. Run it again on the same data directory and
it resumes. The token needs the admin role (it enrolls nodes).

  --gateway URL   the gateway's base URL, e.g. http://10.0.0.2:8000
  --token TOKEN   an admin API token
  --site SITE     the gateway's site (gateway.site in its config)
  --mqtt URL      the broker the nodes connect to (default: the one the gateway's health names)
  --data DIR      where the nodes keep their data (default: .comptoir-sim-site)
  --seed N        seed of the simulated staff's choices`,
  options: {
    gateway: { type: "string" },
    token: { type: "string" },
    site: { type: "string" },
    mqtt: { type: "string" },
    data: { type: "string" },
    seed: { type: "string" },
  },
  async run({ values, io }) {
    const base = requireOption(values, "gateway").replace(/\/+$/, "");
    const token = requireOption(values, "token");
    const site = requireOption(values, "site");
    const root = resolve(stringOption(values, "data") ?? ".comptoir-sim-site");
    const seed = integerOption(values, "seed", 0, 2 ** 31);
    let mqttUrl = stringOption(values, "mqtt");
    const api = new JsonApi(`${base}/api/v1`, token);
    try {
      const health = await api.get<Health>("/health");
      mqttUrl ??= health.broker?.url;
      await api.get("/nodes");
    } catch (error) {
      if (error instanceof ApiCallError && error.status === 401)
        throw new CliError("the gateway refused the token (401): give an admin token");
      if (error instanceof ApiCallError && error.status !== 503)
        throw new CliError(`the gateway at ${base} answered: ${error.message}`);
      if (!(error instanceof ApiCallError))
        throw new CliError(`cannot reach the gateway at ${base}: ${(error as Error).message}`);
    }
    if (!mqttUrl) throw new CliError("the gateway names no broker: give --mqtt URL");
    const logger = createLogger({ level: io.verbose ? "info" : "warn", name: "comptoir-sim-site" });
    const say = (line: string) =>
      io.stdout.write(`  ${new Date().toTimeString().slice(0, 8)}  ${line}\n`);
    const simulated = await startSimulatedSite({
      root,
      api,
      mqttUrl,
      site,
      logger,
      say,
      ...(seed === undefined ? {} : { seed }),
    });
    io.stdout.write(
      `simulated site running against ${base} (MQTT ${mqttUrl}); POS page ${simulated.posUrl} (${PERSON_COUNTER}, yours; the simulated clerk sells at ${SIMULATED_COUNTER}, ${simulated.simulatedPosUrl}; clerk ${DEMO_CLERK.id}, PIN ${DEMO_CLERK.pin}; supervisor ${DEMO_SUPERVISOR.id}, PIN ${DEMO_SUPERVISOR.pin})\n`,
    );
    const signal = await io.waitForStop();
    io.stdout.write(`stopping (${signal})…\n`);
    await simulated.stop();
    return 0;
  },
};
