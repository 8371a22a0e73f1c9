import type { Command } from "./command.js";
import { summaryOf } from "./command-load.js";
import { type CommandEntry, commands } from "./commands/index.js";

/**
 * What `comptoir --help`, `comptoir GROUP --help` and `comptoir COMMAND --help`
 * print. A group is the words a command name starts with ("import",
 * "gateway node"); a group can be a command too ("node", "gateway").
 */

/** The commands under `group` (every command for no group), their code loaded for the summaries. */
async function listing(group: string[]): Promise<string> {
  const members = commands.filter((entry) => isUnder(entry, group));
  const summaries = await Promise.all(members.map(summaryOf));
  const width = Math.max(...members.map((entry) => entry.name.length));
  return members.map((entry, i) => `  ${entry.name.padEnd(width)}  ${summaries[i]}`).join("\n");
}

function isUnder(entry: CommandEntry, group: string[]): boolean {
  const name = entry.name.split(" ");
  return name.length > group.length && group.every((word, index) => name[index] === word);
}

/** Is `words` a group, i.e. does some command name continue it? */
export function isGroup(words: string[]): boolean {
  return words.length > 0 && commands.some((entry) => isUnder(entry, words));
}

/** The longest group that `words` starts with, or none. */
export function findGroup(words: string[]): string[] | undefined {
  for (let length = Math.min(words.length, 3); length > 0; length--) {
    const group = words.slice(0, length);
    if (isGroup(group)) return group;
  }
  return undefined;
}

/** The command whose name is the longest run of leading `words`. */
export function findCommand(words: string[]): CommandEntry | undefined {
  let best: CommandEntry | undefined;
  for (const entry of commands) {
    const name = entry.name.split(" ");
    if (name.every((word, index) => words[index] === word)) {
      if (!best || name.length > best.name.split(" ").length) best = entry;
    }
  }
  return best;
}

/** `comptoir --help`: every command, one line each. Only `--help` and mistakes pay for loading them. */
export async function overview(): Promise<string> {
  return `usage: comptoir COMMAND [OPTIONS]\n\ncommands:\n${await listing([])}\n\nEvery command takes --help, and --verbose to show stack traces; so does every group\n(comptoir import --help, comptoir help node token).\n`;
}

/** `comptoir import --help`: the group's commands, one line each. */
export async function groupHelp(group: string[]): Promise<string> {
  const name = group.join(" ");
  return `usage: comptoir ${name} COMMAND [OPTIONS]\n\ncommands:\n${await listing(group)}\n\nEach command takes --help: comptoir ${name} COMMAND --help.\n`;
}

/** `comptoir import invoices --help`: usage, summary, options; and its own commands if it is a group too. */
export async function commandHelp(command: Command): Promise<string> {
  const group = command.name.split(" ");
  const own = isGroup(group) ? `\ncommands:\n${await listing(group)}\n` : "";
  return `usage: comptoir ${command.name} ${command.usage}\n\n${command.summary}\n${command.help ? `\n${command.help.trimEnd()}\n` : ""}${own}`;
}
