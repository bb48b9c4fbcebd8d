// `sentinel-dac <command>`: the one entry point. Each command lives in its own module and is
// loaded only when asked for, so `lint` never pays for the Azure SDKs and `deploy` never
// pays for the KQL engine.

import { CommandIo, processIo, UsageError } from "./cli/io";

/* eslint-disable @typescript-eslint/no-require-imports */
interface CommandEntry {
  summary: string;
  load: () => Promise<{ main: (argv: string[], io: CommandIo) => Promise<number> }>;
}

const commands: Record<string, CommandEntry> = {
  validate: {
    summary: "run every check over the rules (lint, dedupe, test): the main job",
    load: async () => require("./validate"),
  },
  lint: {
    summary: "check rule files against the schemas, ATT&CK, connectors and the KQL analyser",
    load: async () => require("./lint/command"),
  },
  dedupe: {
    summary: "find repeated, equivalent and defanged indicators; --fix removes duplicates",
    load: async () => require("./indicators/command"),
  },
  test: {
    summary: "run each rule's fixture tests (<rule>.tests.yaml) in the local KQL engine",
    load: async () => require("./fixtures/command"),
  },
  record: {
    summary: "record fixture rows from a Log Analytics workspace (optionally redacted)",
    load: async () => require("./fixtures/record-command"),
  },
  kql: {
    summary: "run KQL in the local engine: `kql run` and `kql batch`",
    load: async () => require("./kql/command"),
  },
  plan: {
    summary: "show what deploy would change in a workspace (create, update, drifted, delete)",
    load: async () => require("./deploy/plan-command"),
  },
  deploy: {
    summary: "deploy rules to Sentinel workspaces: only what changed",
    load: async () => require("./deploy/deploy-command"),
  },
  export: {
    summary: "write rules as ARM templates",
    load: async () => require("./deploy/export-command"),
  },
  pull: {
    summary: "import a workspace's hunting queries and analytics rules as YAML rule files",
    load: async () => require("./deploy/pull-command"),
  },
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(
    ([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`,
  );
  return [
    "Usage: sentinel-dac <command> [options]",
    "",
    "Detection-as-code for Microsoft Sentinel.",
    "",
    "Commands:",
    ...lines,
    "",
    "Run `sentinel-dac <command> --help` for a command's options.",
    "Exit codes: 0 clean, 1 findings or failed tests, 2 usage or internal error.",
    "",
  ].join("\n");
}

export async function run(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(help());
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-v") {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    io.stdout.write(`${require("../package.json").version}\n`);
    return 0;
  }
  const entry = commands[name];
  if (!entry) {
    io.stderr.write(`sentinel-dac: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  try {
    const mod = await entry.load();
    return await mod.main(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr.write(`sentinel-dac ${name}: ${err.message}\nRun 'sentinel-dac ${name} --help'.\n`);
      return 2;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr.write(`sentinel-dac ${name}: internal error: ${message}\n`);
    if (process.env.SENTINEL_DAC_DEBUG && err instanceof Error) io.stderr.write(`${err.stack}\n`);
    return 2;
  }
}

/** Runs the CLI with the process's arguments and streams; used by bin/sentinel-dac.js. */
export function runFromProcess(): void {
  run(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`sentinel-dac: internal error: ${String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
