import { hashPin, pinProblem } from "@comptoir/device";
import { type Command, UsageError } from "../command.js";

export const posHashPin: Command = {
  name: "pos hash-pin",
  summary:
    "hash a supervisor or clerk PIN for a counter node's config (pos.supervisors[].pinHash, pos.clerks[].pinHash)",
  usage: "[PIN]",
  help: `Prints the salted scrypt hash of PIN (read from stdin when absent, so it stays out of
the shell history). Put the printed line in the counter node's config:

  pos:
    supervisors:
      - { id: sup-1, name: "Claire", pinHash: "scrypt$..." }
    clerks:
      - { id: lea, name: "Léa", pinHash: "scrypt$..." }

A PIN is 6 to 12 digits. The node never stores the PIN itself.`,
  positionals: { min: 0, max: 1 },
  async run({ positionals, io }) {
    const pin = (positionals[0] ?? (await readStdin())).trim();
    const problem = pinProblem(pin);
    if (problem) throw new UsageError(problem);
    io.stdout.write(`${await hashPin(pin)}\n`);
    return 0;
  },
};

async function readStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}
