// dedupe over the real Azure-Sentinel files in ../shared/community-rules: the findings are
// exactly the defects verified by hand, and --fix over a copy keeps every file parseable and
// is idempotent. Skipped when ../shared is absent.

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { extractIndicators } from "../../scripts/indicators/extract";
import { findRuleFiles, loadRuleFile, loadRuleText, Rule } from "../../scripts/rules/load";
import { analyse } from "../../scripts/indicators/dedupe";
import type { Finding } from "../../scripts/lint/finding";
import { cli, hasShared, PROJECT_ROOT, SHARED } from "../helpers/repo";

const d = hasShared ? describe : describe.skip;
const COMMUNITY = path.join(SHARED, "community-rules");

/** Verified by reading each rule (see the README's dedupe section, "Findings on the community rules"). */
const VERIFIED = [
  // YAML that does not parse (the first also hides a comma-less list: "NTDS.out" "DumpExt.dll")
  "hunting/credentialdumpingtoolsfileartifacts.yaml:16:1 yaml-syntax",
  "hunting/loginspikewithincreasefailurerate.yaml:2:6 yaml-syntax",
  // "RSSensor.exe" "RemoteDesktopManagerFree.exe": a line break but no comma
  "hunting/detect-suspicious-rdp-connections.yaml:34:80 missing-comma",
  // "…key.dat " with a trailing space never matches a path
  "hunting/dev-0322filedropactivitynovember2021.yaml:23:26 malformed-indicator",
  // 'Possible source of Log4j exploitation' 'Log4j exploitation attempt via cloud application'
  "hunting/devices-with-log4j-vulnerability-alerts-and-additional-other-alert-related-context.yaml:25:3 missing-comma",
  // The same five STRONTIUM IPs in the Forest Blizzard rule (the actor's new name)
  "hunting/forestblizzard_ioc_retrohunt.yaml:30:32 shared-indicator",
  "hunting/forestblizzard_ioc_retrohunt.yaml:30:51 shared-indicator",
  "hunting/forestblizzard_ioc_retrohunt.yaml:30:70 shared-indicator",
  "hunting/forestblizzard_ioc_retrohunt.yaml:30:86 shared-indicator",
  "hunting/forestblizzard_ioc_retrohunt.yaml:30:104 shared-indicator",
  // 'syn.servebbs.com' twice in one `in` list
  "hunting/oceanlotus-apt32-network.yaml:30:3 duplicate-indicator",
  // SHA-256 hashes compared with the SHA1 column
  "hunting/ransomware-hits-healthcare-vulnerable-gigabyte-drivers.yaml:12:19 malformed-indicator",
  "hunting/ransomware-hits-healthcare-vulnerable-gigabyte-drivers.yaml:13:3 malformed-indicator",
  "hunting/strontium_ioc_retrohunt.yaml:24:32 shared-indicator",
  "hunting/strontium_ioc_retrohunt.yaml:24:51 shared-indicator",
  "hunting/strontium_ioc_retrohunt.yaml:24:70 shared-indicator",
  "hunting/strontium_ioc_retrohunt.yaml:24:86 shared-indicator",
  "hunting/strontium_ioc_retrohunt.yaml:24:104 shared-indicator",
];

const short = (f: Finding) =>
  `${f.file.replace(/^.*community-rules\//, "")}:${f.line}:${f.column} ${f.ruleId}`;

function copyTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const dst = path.join(to, entry.name);
    if (entry.isDirectory()) copyTree(src, dst);
    else fs.copyFileSync(src, dst);
  }
}

function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const f of findRuleFiles([dir], dir)) out.set(path.relative(dir, f), fs.readFileSync(f));
  return out;
}

d("dedupe over ../shared/community-rules", () => {
  it("reports exactly the verified defects", async () => {
    const r = await cli(PROJECT_ROOT, ["dedupe", COMMUNITY, "--format", "json"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.out) as Finding[];
    expect(findings.map(short)).toEqual(VERIFIED);
    const byId = (id: string) => findings.filter((f) => f.ruleId === id).map((f) => f.message);
    expect(byId("missing-comma")).toEqual([
      "'RSSensor.exe' and 'RemoteDesktopManagerFree.exe' have no comma between them: KQL joins adjacent string literals, so this `!in~` list holds the single value 'RSSensor.exeRemoteDesktopManagerFree.exe' and matches none of them",
      "'Possible source of Log4j exploitation' and 'Log4j exploitation attempt via cloud application' have no comma between them: KQL joins adjacent string literals, so this `in~` list holds the single value 'Possible source of Log4j exploitationLog4j exploitation attempt via cloud app…' and matches none of them",
    ]);
    expect(byId("duplicate-indicator")).toEqual([
      "'syn.servebbs.com' appears twice in this `in` list: lines 25 and 30",
    ]);
  }, 120_000);

  it("finds the comma-less list hidden behind a YAML error once the tab is replaced", () => {
    const file = path.join(COMMUNITY, "hunting/credentialdumpingtoolsfileartifacts.yaml");
    const text = fs.readFileSync(file, "utf8").replace(/^\t/gm, "    ");
    const rule = loadRuleText(text, "credentialdumpingtoolsfileartifacts.yaml").rule;
    expect(rule).toBeDefined();
    const found = analyse([
      { rule: rule as Rule, extraction: extractIndicators(rule?.query ?? "") },
    ]).findings.map((f) => `${f.line}:${f.column} ${f.ruleId} ${f.message.split(":")[0]}`);
    expect(found).toEqual([
      "17:218 missing-comma 'NTDS.out' and 'DumpExt.dll' have no comma between them",
    ]);
  });

  it("--fix over a copy changes only the seed rule, keeps every file parseable and is idempotent", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sentinel-dac-community-"));
    copyTree(COMMUNITY, dir);
    const before = snapshot(dir);
    const first = await cli(dir, ["dedupe", ".", "--fix", "--format", "json"]);
    expect(first.err).toBe(
      "fixed hunting/oceanlotus-apt32-network.yaml (1 repeat removed, 0 refanged)\n",
    );
    const after = snapshot(dir);
    const changed = [...after.keys()].filter((k) => !after.get(k)?.equals(before.get(k) as Buffer));
    expect(changed).toEqual(["hunting/oceanlotus-apt32-network.yaml"]);

    for (const file of changed) {
      const original = loadRuleFile(path.join(COMMUNITY, file), COMMUNITY).rule;
      const fixed = loadRuleFile(path.join(dir, file), dir).rule;
      expect(fixed?.query).toBeDefined();
      expect(extractIndicators(fixed?.query ?? "").syntaxErrors).toBe(
        extractIndicators(original?.query ?? "").syntaxErrors,
      );
    }
    // Every rule that loaded before still loads.
    for (const file of before.keys()) {
      const was = loadRuleFile(path.join(COMMUNITY, file), COMMUNITY).rule !== undefined;
      const is = loadRuleFile(path.join(dir, file), dir).rule !== undefined;
      expect([file, is]).toEqual([file, was]);
    }

    const second = await cli(dir, ["dedupe", ".", "--fix", "--format", "json"]);
    expect(second.err).toBe("");
    const again = snapshot(dir);
    expect([...again.keys()].filter((k) => !again.get(k)?.equals(after.get(k) as Buffer))).toEqual(
      [],
    );
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});
