import { readFile } from "node:fs/promises";
import type { CliIO, OptionValues } from "./command.js";
import { CliError, stringOption, UsageError } from "./command.js";

/** The help lines of the options `apiToken` reads. */
export const API_TOKEN_HELP = `  --token-file F    a file holding an API token (or set COMPTOIR_TOKEN)
  --token T         the token itself: shown to every user of this machine by ps, so deprecated`;

/**
 * The API token for a command that calls the gateway: from `--token-file`,
 * else `COMPTOIR_TOKEN`, else `--token`. The last still works, with a
 * warning: a command line is readable by every user (ps, /proc) and lands in
 * shell history.
 */
export async function apiToken(values: OptionValues, io: CliIO): Promise<string> {
  const file = stringOption(values, "token-file");
  if (file !== undefined) {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new CliError(
        `cannot read the token file ${file}: ${reason} — check the path given to --token-file`,
      );
    }
    const token = text.trim();
    if (!token) throw new CliError(`the token file ${file} is empty — write the API token in it`);
    return bearer(token, `the token file ${file}`);
  }
  const fromEnv = io.env.COMPTOIR_TOKEN?.trim();
  if (fromEnv) return bearer(fromEnv, "COMPTOIR_TOKEN");
  const inline = stringOption(values, "token");
  if (inline !== undefined) {
    io.stderr.write(
      "warning: --token is visible to every user of this machine (ps) and in shell history: use COMPTOIR_TOKEN or --token-file\n",
    );
    return bearer(inline, "--token");
  }
  throw new UsageError(
    "an API token is required: set COMPTOIR_TOKEN or --token-file FILE (--token T works but shows the token to ps)",
  );
}

/**
 * A token goes in an `Authorization: Bearer` header, printable ASCII without spaces: anything
 * else (a second line, a byte that is not UTF-8) is refused here, naming where it came from,
 * rather than as an invalid header value by fetch.
 */
function bearer(token: string, where: string): string {
  if (/[^\x21-\x7e]/.test(token))
    throw new CliError(
      `${where} holds more than an API token (a space, a second line or a character that is not ASCII) — give only the token`,
    );
  return token;
}
