// What the four deploy commands share: the targets file, the target, the connection and the
// plan, and turning failures into clear messages instead of stack traces.

import { CommandIo, UsageError } from "../cli/io";
import { connect, describeArmError, redactor, WorkspaceApi } from "./arm";
import {
  computePlan,
  DesiredSet,
  desiredForTarget,
  PlanEntry,
  readState,
  WorkspaceState,
} from "./plan";
import {
  DEFAULT_TARGETS_FILE,
  loadTargets,
  repositoryName,
  selectTarget,
  Target,
  TargetsError,
  TargetsFile,
} from "./targets";

export const DEFAULT_RULE_PATHS = ["detections"];

/** Options every deploy command takes. */
export const TARGET_OPTIONS = {
  target: { type: "string", short: "t" },
  targets: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** A failure that stops a command before it could do its job (exit 2), already worded. */
export class CommandFailure extends Error {}

export interface TargetContext {
  file: TargetsFile;
  target: Target;
  repository: string;
}

export function openTargetsFile(targetsOption: string | undefined, io: CommandIo): TargetsFile {
  try {
    return loadTargets(targetsOption ?? DEFAULT_TARGETS_FILE, io.cwd);
  } catch (err) {
    if (err instanceof TargetsError) throw new CommandFailure(err.message);
    throw err;
  }
}

export function openTarget(
  values: { target?: string; targets?: string },
  io: CommandIo,
): TargetContext {
  const file = openTargetsFile(values.targets, io);
  try {
    const target = selectTarget(file, values.target);
    return { file, target, repository: repositoryName(file, io.env, io.cwd) };
  } catch (err) {
    if (err instanceof TargetsError) throw new UsageError(err.message);
    throw err;
  }
}

export interface LivePlan {
  api: WorkspaceApi;
  desired: DesiredSet;
  state: WorkspaceState;
  entries: PlanEntry[];
}

/** Connects, reads the workspace and compares it with the rules. */
export async function livePlan(
  ctx: TargetContext,
  paths: string[],
  io: CommandIo,
): Promise<LivePlan> {
  const desired = desiredForTarget(ctx.target, paths, io.cwd);
  const { api, state } = await readWorkspace(ctx, io);
  const entries = computePlan(ctx.target, desired, state, { repository: ctx.repository });
  return { api, desired, state, entries };
}

export async function readWorkspace(
  ctx: TargetContext,
  io: CommandIo,
): Promise<{ api: WorkspaceApi; state: WorkspaceState }> {
  const redact = redactor(io.env);
  let api: WorkspaceApi;
  try {
    api = await connect(ctx.target, io.env);
  } catch (err) {
    throw new CommandFailure(
      `cannot connect to ${ctx.target.armEndpoint}: ${describeArmError(err, redact)}`,
    );
  }
  try {
    return { api, state: await readState(api) };
  } catch (err) {
    throw new CommandFailure(
      `cannot read workspace ${ctx.target.workspace} (target ${ctx.target.name}): ${describeArmError(err, redact)}`,
    );
  }
}

/**
 * Runs a command body: a CommandFailure is printed as `sentinel-dac NAME: message` with exit
 * 2; anything unexpected too, redacted, without a stack trace.
 */
export async function guard(
  name: string,
  io: CommandIo,
  body: () => Promise<number>,
): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const redact = redactor(io.env);
    const message = err instanceof CommandFailure ? err.message : describeArmError(err, redact);
    io.stderr.write(`sentinel-dac ${name}: ${redact(message)}\n`);
    return 2;
  }
}

export function positiveInt(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 64) {
    throw new UsageError(`${option} takes a whole number from 1 to 64, not '${value}'`);
  }
  return Number(value);
}

export function formatOption(value: string | undefined): "text" | "json" {
  if (value === undefined || value === "text" || value === "json") return value ?? "text";
  throw new UsageError(`--format is text or json, not '${value}'`);
}
