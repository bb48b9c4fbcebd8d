// The deploy workflow's job matrix from deploy/targets.yaml.

import { memoryIo } from "../../scripts/cli/io";
import { main, matrixFor } from "../../scripts/github/matrix";
import { parseTargets } from "../../scripts/deploy/targets";
import { tempRepo } from "../helpers/repo";

const TARGETS = `targets:
  prod-eu:
    subscriptionId: 00000000-0000-0000-0000-000000000001
    resourceGroup: rg-sec
    workspace: law-prod-eu
  gov:
    subscriptionId: 00000000-0000-0000-0000-000000000002
    resourceGroup: rg-sec
    workspace: law-gov
    cloud: AzureUSGovernment
`;

describe("matrix", () => {
  const file = parseTargets(TARGETS, "deploy/targets.yaml", "/repo");

  it("has one entry per target, in file order, with azure/login's cloud name", () => {
    expect(matrixFor(file, "all")).toEqual({
      include: [
        {
          target: "prod-eu",
          azureEnvironment: "azurecloud",
          subscriptionId: "00000000-0000-0000-0000-000000000001",
        },
        {
          target: "gov",
          azureEnvironment: "azureusgovernment",
          subscriptionId: "00000000-0000-0000-0000-000000000002",
        },
      ],
    });
  });

  it("selects one target by name", () => {
    expect(matrixFor(file, "gov").include.map((e) => e.target)).toEqual(["gov"]);
  });

  it("prints a $GITHUB_OUTPUT line", async () => {
    const dir = tempRepo({ "deploy/targets.yaml": TARGETS });
    const io = memoryIo(dir);
    expect(await main(["--target", "prod-eu"], io)).toBe(0);
    expect(io.out).toMatch(/^matrix=\{"include":\[\{"target":"prod-eu",[^\n]*\}\]\}\n$/);
    const json = JSON.parse(io.out.slice("matrix=".length)) as { include: unknown[] };
    expect(json.include).toHaveLength(1);
  });

  it("exits 2 naming the targets there are, for an unknown target", async () => {
    const dir = tempRepo({ "deploy/targets.yaml": TARGETS });
    const io = memoryIo(dir);
    expect(await main(["--target", "prod-us"], io)).toBe(2);
    expect(io.err).toBe(
      "matrix: no target 'prod-us' in deploy/targets.yaml; available targets: prod-eu, gov\n",
    );
    expect(io.out).toBe("");
  });

  it("exits 2 with file:line:col for a bad targets file, and for a missing one", async () => {
    const bad = tempRepo({ "deploy/targets.yaml": "targets:\n  x:\n    workspace: w\n" });
    const io = memoryIo(bad);
    expect(await main([], io)).toBe(2);
    expect(io.err).toMatch(/^matrix: deploy\/targets\.yaml:3:5: /);
    const none = memoryIo(tempRepo());
    expect(await main([], none)).toBe(2);
    expect(none.err).toContain("deploy/targets.yaml: no targets file");
  });
});
