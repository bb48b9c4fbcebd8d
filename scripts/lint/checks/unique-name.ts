// Two rules with one display name cannot be told apart in the portal or in incidents.

import type { RepoCheck } from "../check";
import { reportDuplicates } from "./unique-id";

export const uniqueName: RepoCheck = {
  scope: "repo",
  meta: {
    id: "unique-name",
    severity: "error",
    description: "every rule has its own name",
    docs: "Names are what analysts see in the portal and in incidents; two rules with one name cannot be told apart.",
  },
  check(rules, ctx) {
    reportDuplicates(
      rules,
      (r) => r.name?.trim().toLowerCase(),
      "name",
      ctx.report,
      "rename one of them",
    );
  },
};
