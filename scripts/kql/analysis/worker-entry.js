// Worker thread entry: workers start without the parent's TypeScript loader (tsx or jest's),
// so register tsx here, then run the TypeScript worker.
"use strict";
require("tsx/cjs");
require("./worker.ts");
