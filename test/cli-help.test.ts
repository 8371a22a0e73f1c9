import { describe, expect, it } from "vitest";
import { runBin, runCli } from "./support/run-cli.js";

/** The command names `comptoir --help` lists, each as its words. */
function listedCommands(overview: string): string[][] {
  const start = overview.indexOf("commands:\n");
  const block = overview.slice(start + "commands:\n".length, overview.indexOf("\n\n", start));
  return block.split("\n").map((line) => (line.trim().split(/\s{2,}/)[0] ?? "").split(" "));
}

/** Every group the listing implies: each proper prefix of a command name ("node token", "import"). */
function groupsOf(names: string[][]): string[][] {
  const groups = new Map<string, string[]>();
  for (const name of names) {
    for (let length = 1; length < name.length; length++) {
      const group = name.slice(0, length);
      groups.set(group.join(" "), group);
    }
  }
  return [...groups.values()];
}

const overview = runBin(["--help"]);
const names = listedCommands(overview.stdout);
const groups = groupsOf(names);

describe("comptoir help, group by group", () => {
  it("reads the listing: every group of commands is found in it", () => {
    expect(overview.code).toBe(0);
    expect(groups.map((group) => group.join(" "))).toEqual(
      expect.arrayContaining(["import", "gateway node", "node token", "sim", "audit"]),
    );
  });

  it("answers `comptoir import --help`, as a user types it, with its commands", () => {
    const run = runBin(["import", "--help"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toMatch(/^ {2}import invoices {2,}import customer or supplier invoices/m);
    expect(run.stdout).toMatch(/^ {2}import payments {2,}import a bank export/m);
    expect(run.stdout).toMatch(/^ {2}import customers {2,}create or update customers/m);
    expect(run.stdout).toMatch(/^ {2}import products {2,}create or update products/m);
    expect(run.stdout).not.toMatch(/unknown command/);
  });

  it.each(groups.map((group) => [group.join(" "), group]))(
    "`comptoir %s --help`, `… help` and `comptoir help …` list the group's commands, exit 0",
    async (_label, group) => {
      const members = names.filter(
        (name) => name.length > group.length && group.every((word, i) => name[i] === word),
      );
      for (const args of [
        [...group, "--help"],
        [...group, "-h"],
        [...group, "help"],
        ["help", ...group],
      ]) {
        const run = await runCli(args);
        expect(run.code, args.join(" ")).toBe(0);
        expect(run.stderr, args.join(" ")).toBe("");
        for (const member of members) {
          expect(run.stdout, args.join(" ")).toMatch(
            new RegExp(`^ {2}${member.join(" ")} {2,}\\S`, "m"),
          );
        }
      }
    },
  );

  it("answers a group without a command, or with an unknown one, with its commands on stderr, exit 2", async () => {
    const bare = await runCli(["import"]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/usage: comptoir import COMMAND/);
    expect(bare.stderr).toMatch(/^ {2}import invoices /m);
    const typo = await runCli(["node", "tokn", "list"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown command "node tokn"/);
    expect(typo.stderr).toMatch(/^ {2}node token list /m);
    const unknown = await runCli(["help", "frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it.each(names.map((name) => [name.join(" "), name]))(
    "`comptoir %s --help` shows its usage and every option it takes",
    async (_label, name) => {
      const { commands } = await import("@comptoir/cli/commands");
      const entry = commands.find((command) => command.name === name.join(" "));
      const command = await entry?.load();
      const run = await runCli([...name, "--help"]);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^usage: comptoir ${name.join(" ")}`));
      for (const option of Object.keys(command?.options ?? {})) {
        expect(run.stdout).toMatch(new RegExp(`--${option}\\b`));
      }
    },
  );
});
