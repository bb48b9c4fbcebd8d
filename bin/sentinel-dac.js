#!/usr/bin/env node
// Runs the TypeScript CLI straight from source (tsx), so `npm ci` is the only setup step.
"use strict";
require("tsx/cjs");
require("../scripts/cli.ts").runFromProcess();
