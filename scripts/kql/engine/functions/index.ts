// Registers every scalar and aggregate function; the evaluator imports this module once.
// Each family lives in its own module, named after it: a function such as `parse_url` is
// defined in url.ts, `make_set` in aggregates.ts.

import "./conversion";
import "./strings";
import "./logic";
import "./math";
import "./datetime";
import "./dynamic";
import "./ip";
import "./url";
import "./hash";
import "./units";
import "./compression";
import "./punycode";
import "./xml";
import "./user-agent";
import "./series";
import "./series-decompose";
import "./series-stats";
import "./geo";
import "./geo-cells";
import "./geo-shapes";
import "./sketches";
import "./aggregates";

export * from "./registry";
