// The deploy workflow's job matrix, from deploy/targets.yaml: one entry per target, with what
// the job needs before it can read anything else (the GitHub environment is the target's
// name; azure/login's cloud name; the subscription when the environment sets none).
//
//   node bin/run-ts.js scripts/github/matrix.ts [--target NAME|all] [--targets FILE] >> "$GITHUB_OUTPUT"
//
// prints `matrix={"include":[…]}`, the line format of $GITHUB_OUTPUT.

import * as path from "node:path";
import { CommandIo, parseCommandArgs, processIo, UsageError } from "../cli/io";
import {
  CloudName,
  DEFAULT_TARGETS_FILE,
  loadTargets,
  selectTarget,
  Target,
  TargetsError,
  TargetsFile,
} from "../deploy/targets";

export interface MatrixEntry {
  target: string;
  /** azure/login's `environment` input for the target's cloud. */
  azureEnvironment: string;
  subscriptionId: string;
}

const AZURE_LOGIN_ENVIRONMENT: Record<CloudName, string> = {
  AzureCloud: "azurecloud",
  AzureUSGovernment: "azureusgovernment",
  AzureChinaCloud: "azurechinacloud",
};

/**
 * GitHub environment names for a target: `<target>` and `<target>-plan`. GitHub compares them
 * case-insensitively and allows up to 255 characters; target names (at most 64 of
 * [A-Za-z0-9._-], by the targets schema) always fit.
 */
export function matrixEntry(target: Target): MatrixEntry {
  return {
    target: target.name,
    azureEnvironment: AZURE_LOGIN_ENVIRONMENT[target.cloud],
    subscriptionId: target.subscriptionId,
  };
}

/** The matrix for `all` targets or for the one named. Throws TargetsError for an unknown name. */
export function matrixFor(file: TargetsFile, which: string): { include: MatrixEntry[] } {
  const targets = which === "all" ? [...file.targets.values()] : [selectTarget(file, which)];
  return { include: targets.map(matrixEntry) };
}

const USAGE = `Usage: node bin/run-ts.js scripts/github/matrix.ts [--target NAME|all] [--targets FILE]

Prints the deploy workflow's job matrix as a $GITHUB_OUTPUT line: matrix={"include":[…]},
one entry per target of the targets file (default: ${DEFAULT_TARGETS_FILE}).
`;

export async function main(argv: string[], io: CommandIo): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    target: { type: "string", short: "t", default: "all" },
    targets: { type: "string", default: DEFAULT_TARGETS_FILE },
    help: { type: "boolean", short: "h", default: false },
  });
  if (values.help) {
    io.stdout.write(USAGE);
    return 0;
  }
  const which = (values.target as string).trim();
  if (!which) throw new UsageError("--target is empty; name a target or use all");
  try {
    const file = loadTargets(values.targets as string, io.cwd);
    io.stdout.write(`matrix=${JSON.stringify(matrixFor(file, which))}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof TargetsError)) throw err;
    io.stderr.write(`matrix: ${err.message}\n`);
    return 2;
  }
}

// Run when executed (node bin/run-ts.js scripts/github/matrix.ts), not when imported by tests.
if (process.argv[1] && path.resolve(process.argv[1]) === __filename) {
  const io = processIo();
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      const usage = err instanceof UsageError;
      io.stderr.write(`matrix: ${err instanceof Error ? err.message : String(err)}\n`);
      if (usage) io.stderr.write(USAGE);
      process.exitCode = 2;
    },
  );
}
