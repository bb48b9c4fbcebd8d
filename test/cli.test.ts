import { execFileSync, spawnSync } from "node:child_process";
import * as path from "node:path";
import { cli, huntingRule, PROJECT_ROOT, tempRepo } from "./helpers/repo";
import { memoryIo } from "../scripts/cli/io";
import { run } from "../scripts/cli";

const COMMANDS = [
  "validate",
  "lint",
  "dedupe",
  "test",
  "record",
  "kql",
  "plan",
  "deploy",
  "export",
  "pull",
];

describe("sentinel-dac CLI", () => {
  it("lists the commands with --help (exit 0) and without a command (exit 2)", async () => {
    const help = await cli(PROJECT_ROOT, ["--help"]);
    expect(help.code).toBe(0);
    for (const c of COMMANDS) {
      expect(help.out).toMatch(new RegExp(`^  ${c} `, "m"));
    }
    const none = await cli(PROJECT_ROOT, []);
    expect(none.code).toBe(2);
  });

  it("rejects an unknown command and an unknown option with exit 2 and a pointer to --help", async () => {
    const unknown = await cli(PROJECT_ROOT, ["lnt"]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("unknown command 'lnt'");
    const badOption = await cli(PROJECT_ROOT, ["lint", "--formt", "json"]);
    expect(badOption.code).toBe(2);
    expect(badOption.err).toContain("Unknown option '--formt'");
    expect(badOption.err).toContain("Run 'sentinel-dac lint --help'");
    const badFormat = await cli(PROJECT_ROOT, ["lint", "--format", "xml"]);
    expect(badFormat.code).toBe(2);
    expect(badFormat.err).toContain(
      "unknown format 'xml'; use one of: stylish, json, github, sarif",
    );
  });

  it.each(COMMANDS)("`%s --help` prints usage and exits 0", async (command) => {
    const r = await cli(PROJECT_ROOT, [command, "--help"]);
    expect(r.err).toBe("");
    expect(r.out).toMatch(/^Usage:\s+sentinel-dac /);
    expect(r.code).toBe(0);
  });

  it("runs as a real process through bin/ with the documented exit codes", () => {
    const bin = path.join(PROJECT_ROOT, "bin/sentinel-dac.js");
    const dir = tempRepo({ "detections/hunting/bad.yaml": "- not a rule\n" });
    const bad = spawnSync(process.execPath, [bin, "lint", "--format", "json"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(bad.status).toBe(1);
    expect(JSON.parse(bad.stdout)[0].ruleId).toBe("yaml-shape");
    const version = execFileSync(process.execPath, [bin, "--version"], { encoding: "utf8" });
    expect(version.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("shows progress on a terminal and stays quiet when output is not a TTY", async () => {
    const files: Record<string, string> = {
      "sentinel-dac.config.yaml": "tests:\n  required: false\n",
    };
    for (let i = 0; i < 3; i++) {
      files[`detections/hunting/r${i}.yaml`] = huntingRule({
        id: `id: 1b2c3d4e-0000-4000-8000-00000000000${i}`,
        name: `name: Rule ${i}`,
      });
    }
    const dir = tempRepo(files);
    const quiet = memoryIo(dir);
    expect(await run(["lint", "--format", "json"], quiet)).toBe(0);
    expect(quiet.err).toBe("");
    const tty = memoryIo(dir);
    tty.stderr.isTTY = true;
    expect(await run(["lint", "--format", "json"], tty)).toBe(0);
    expect(tty.err).toContain("lint 3/3 (100%)");
    expect(tty.err).toMatch(/\r\x1b\[K$/); // the line is cleared when done
  });
});
