// Deployment targets (`deploy/targets.yaml`): which workspace, which cloud, which rules, and
// per-target overrides. Validated against schemas/targets.schema.json; every problem is
// reported as file:line:col so a reviewer can fix the file without guessing.

import * as fs from "node:fs";
import * as path from "node:path";
import Ajv2020, { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import picomatch from "picomatch";
import YAML, { isMap, isScalar, LineCounter, Node } from "yaml";
import targetsSchema from "../../schemas/targets.schema.json";

export type CloudName = "AzureCloud" | "AzureUSGovernment" | "AzureChinaCloud";

export interface Override {
  match: string;
  set: Record<string, unknown>;
}

export interface Target {
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
  cloud: CloudName;
  /** The Resource Manager endpoint, without a trailing slash. */
  armEndpoint: string;
  /** Absolute path of extra CA certificates to trust, when the target names one. */
  caFile?: string;
  include: string[];
  exclude: string[];
  overrides: Override[];
}

export interface TargetsFile {
  /** Repository-relative path of the file, as printed in messages. */
  path: string;
  repository?: string;
  targets: Map<string, Target>;
}

/** The Resource Manager endpoint and the Entra ID authority of each cloud. */
export const CLOUDS: Record<CloudName, { armEndpoint: string; authorityHost: string }> = {
  AzureCloud: {
    armEndpoint: "https://management.azure.com",
    authorityHost: "https://login.microsoftonline.com",
  },
  AzureUSGovernment: {
    armEndpoint: "https://management.usgovcloudapi.net",
    authorityHost: "https://login.microsoftonline.us",
  },
  AzureChinaCloud: {
    armEndpoint: "https://management.chinacloudapi.cn",
    authorityHost: "https://login.chinacloudapi.cn",
  },
};

export const DEFAULT_TARGETS_FILE = "deploy/targets.yaml";

/** A problem with the targets file or the target asked for: printed as it is, exit 2. */
export class TargetsError extends Error {}

let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv);
    validator = ajv.compile(targetsSchema);
  }
  return validator;
}

/** `/targets/prod-eu/include/0` → ["targets", "prod-eu", "include", 0]. */
function pointerPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function describeError(e: ErrorObject): {
  path: (string | number)[];
  message: string;
  atKey?: boolean;
} {
  const at = pointerPath(e.instancePath);
  const where = at.length ? at.join(".") : "the file";
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return { path: at, message: `${where}: \`${String(p.missingProperty)}\` is required` };
    case "additionalProperties":
      return {
        path: [...at, String(p.additionalProperty)],
        message: `${where}: unknown field \`${String(p.additionalProperty)}\``,
        atKey: true,
      };
    case "enum":
      return {
        path: at,
        message: `${where} must be one of ${(p.allowedValues as unknown[]).join(", ")}`,
      };
    case "format":
      return {
        path: at,
        message:
          p.format === "uuid"
            ? `${where} must be a GUID (00000000-0000-0000-0000-000000000000)`
            : `${where} must be a ${String(p.format)}`,
      };
    case "propertyNames": {
      const name = String(p.propertyName);
      return {
        path: [...at, name],
        atKey: true,
        message: /\/set$/.test(e.instancePath)
          ? `${where}: \`${name}\` cannot be overridden (it identifies the rule)`
          : `${where}: \`${name}\` is not a valid target name (letters, digits, '.', '_' and '-')`,
      };
    }
    case "type":
      return {
        path: at,
        message: `${where} must be a ${String(p.type)}${p.type === "string" ? " (put the value in quotes)" : ""}`,
      };
    case "pattern":
      return {
        path: at,
        message: `${where} is not a valid value (must match ${String(p.pattern)})`,
      };
    default:
      return { path: at, message: `${where} ${e.message ?? "is invalid"}` };
  }
}

/**
 * Reads and validates a targets file. Throws TargetsError with every problem, each as
 * `file:line:col: message`.
 */
export function loadTargets(file: string, cwd: string): TargetsFile {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs).split(path.sep).join("/") || abs;
  let text: string;
  try {
    text = fs.readFileSync(abs, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TargetsError(
      code === "ENOENT"
        ? `${rel}: no targets file; create it (see the README, "Targets") or pass --targets FILE`
        : `${rel}: cannot read the targets file (${code ?? String(err)})`,
    );
  }
  return parseTargets(text, rel, cwd);
}

export function parseTargets(text: string, rel: string, cwd: string): TargetsFile {
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return `${rel}:${p.line}:${p.col}`;
  };
  if (doc.errors.length) {
    throw new TargetsError(
      doc.errors
        .map(
          (e) => `${pos(e.pos[0])}: ${e.message.replace(/ at line \d+, column \d+[\s\S]*$/, "")}`,
        )
        .join("\n"),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const check = validate();
  if (!check(data)) {
    const seen = new Set<string>();
    const lines: string[] = [];
    for (const e of check.errors ?? []) {
      // `additionalProperties` of `targets` reports the nested target's errors already.
      if (e.keyword === "$ref") continue;
      // The property name's own failure is reported by its `propertyNames` error.
      if (e.schemaPath.includes("/propertyNames/") || e.propertyName !== undefined) continue;
      const { path: at, message, atKey } = describeError(e);
      const line = `${pos(offsetOf(doc, at, atKey))}: ${message}`;
      if (!seen.has(line)) lines.push(line);
      seen.add(line);
    }
    throw new TargetsError(lines.join("\n"));
  }
  const raw = data as {
    repository?: string;
    targets: Record<
      string,
      Omit<Target, "name" | "include" | "exclude" | "overrides"> & {
        cloud?: CloudName;
        include?: string[];
        exclude?: string[];
        overrides?: Override[];
        armEndpoint?: string;
        caFile?: string;
      }
    >;
  };
  const targets = new Map<string, Target>();
  for (const [name, t] of Object.entries(raw.targets)) {
    const cloud = t.cloud ?? "AzureCloud";
    targets.set(name, {
      name,
      subscriptionId: t.subscriptionId,
      resourceGroup: t.resourceGroup,
      workspace: t.workspace,
      cloud,
      armEndpoint: (t.armEndpoint ?? CLOUDS[cloud].armEndpoint).replace(/\/+$/, ""),
      caFile: t.caFile ? path.resolve(cwd, t.caFile) : undefined,
      include: t.include ?? [],
      exclude: t.exclude ?? [],
      overrides: t.overrides ?? [],
    });
  }
  return { path: rel, repository: raw.repository, targets };
}

/** The offset of the node at a path, or of the nearest ancestor that exists. */
function offsetOf(doc: YAML.Document, at: (string | number)[], atKey = false): number {
  for (let depth = at.length; depth >= 0; depth--) {
    const p = at.slice(0, depth);
    const node = (p.length ? doc.getIn(p, true) : doc.contents) as Node | undefined;
    const wantKey = atKey && depth === at.length;
    if (!wantKey && node && typeof node === "object" && "range" in node && node.range) {
      return node.range[0];
    }
    // A key whose value is empty (`include:`): point at the key.
    if (p.length) {
      const parent = (p.length > 1 ? doc.getIn(p.slice(0, -1), true) : doc.contents) as Node;
      if (isMap(parent)) {
        const pair = parent.items.find((i) => isScalar(i.key) && i.key.value === p[p.length - 1]);
        const key = pair?.key as Node | undefined;
        if (key?.range) return key.range[0];
      }
    }
  }
  return 0;
}

/** The target asked for, or a TargetsError listing the ones there are. */
export function selectTarget(file: TargetsFile, name: string | undefined): Target {
  const names = [...file.targets.keys()];
  if (!name) {
    throw new TargetsError(
      `name a target with --target NAME (targets in ${file.path}: ${names.join(", ")})`,
    );
  }
  const target = file.targets.get(name);
  if (!target) {
    throw new TargetsError(
      `no target '${name}' in ${file.path}; available targets: ${names.join(", ")}`,
    );
  }
  return target;
}

/** Whether a repository-relative rule path is deployed to the target. */
export function targetIncludes(target: Target, relPath: string): boolean {
  const opts = { dot: true };
  if (target.include.length && !target.include.some((g) => picomatch(g, opts)(relPath))) {
    return false;
  }
  return !target.exclude.some((g) => picomatch(g, opts)(relPath));
}

/**
 * The rule's data with the target's overrides applied, in file order (a later override
 * wins). `match` is a rule id, or else a glob of rule paths.
 */
export function applyOverrides(
  target: Target,
  data: Record<string, unknown>,
  ruleId: string | undefined,
  relPath: string,
): Record<string, unknown> {
  let out = data;
  for (const o of target.overrides) {
    const hit =
      (ruleId !== undefined && o.match === ruleId) || picomatch(o.match, { dot: true })(relPath);
    if (hit) out = { ...out, ...o.set };
  }
  return out;
}

/** The repository name recorded on deployed items. */
export function repositoryName(file: TargetsFile, env: NodeJS.ProcessEnv, cwd: string): string {
  return file.repository ?? env.GITHUB_REPOSITORY ?? path.basename(path.resolve(cwd));
}
