// Real detection rules (../shared/community-rules) must run on empty tables: at most 5% of the
// valid queries may hit an unsupported feature. Skipped when ../shared is absent.

import * as fs from "node:fs";
import * as path from "node:path";
import { runCommunityRules } from "./community-rules";

const dir = path.resolve(__dirname, "../../../../shared/community-rules");
const d = fs.existsSync(dir) ? describe : describe.skip;

// The target (reached on 4 Dec: 116 of 117 valid rules run; the one left uses the
// autocluster plugin).
const MIN_SUPPORTED = 0.95;

d("community rules on empty tables", () => {
  it("run without 'unsupported' errors", () => {
    const results = runCommunityRules(dir);
    const valid = results.filter((r) => r.outcome !== "invalid" && r.outcome !== "bad-yaml");
    const unsupported = valid.filter((r) => r.outcome === "unsupported");
    expect(valid.length).toBeGreaterThan(100);
    expect(1 - unsupported.length / valid.length).toBeGreaterThanOrEqual(MIN_SUPPORTED);
  }, 120_000);
});
