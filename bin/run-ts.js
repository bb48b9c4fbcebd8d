#!/usr/bin/env node
// Runs any TypeScript file of the project (benchmarks, maintenance scripts) without a build step.
"use strict";
require("tsx/cjs");
const path = require("path");
const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: node bin/run-ts.js FILE.ts [args…]\n");
  process.exit(2);
}
process.argv.splice(1, 1);
require(path.resolve(file));
