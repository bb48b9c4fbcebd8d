// Turns the indicator lists of many rules into findings: repeated, equivalent, defanged,
// malformed and comma-less indicators inside a list, the same indicator in two lists of one
// rule, and indicators shared by several rules; plus the repo-wide index for `--report`.

import type { Finding, Severity, TextEdit } from "../lint/finding";
import { sortFindings } from "../lint/finding";
import { queryMap, queryRange, Range, Rule } from "../rules/load";
import { positionAt } from "../rules/source";
import {
  classify,
  HASH_LENGTHS,
  hashTypeOfColumn,
  IndicatorType,
  IOC_TYPES,
  ipProblem,
  isIndicatorLike,
  NETWORK_TYPES,
  TYPE_LABELS,
} from "./classify";
import type { Extraction, IndicatorItem, IndicatorList } from "./extract";
import { canonical, indexKey, normalise, Normalised } from "./normalise";

export const FINDING_IDS = {
  duplicate: "duplicate-indicator",
  equivalent: "equivalent-indicator",
  defanged: "defanged-indicator",
  redundant: "redundant-indicator",
  shared: "shared-indicator",
  missingComma: "missing-comma",
  malformed: "malformed-indicator",
} as const;

export const FINDING_RULES: { id: string; description: string }[] = [
  {
    id: FINDING_IDS.duplicate,
    description: "the same value twice in one indicator list (error; --fix removes the repeat)",
  },
  {
    id: FINDING_IDS.equivalent,
    description:
      "two values of one list equal after normalisation (defanged copy, trailing dot, case, address form)",
  },
  {
    id: FINDING_IDS.defanged,
    description: "a defanged value (hxxp, [.]) never matches real telemetry (--fix refangs it)",
  },
  { id: FINDING_IDS.redundant, description: "the same indicator in two lists of one rule" },
  { id: FINDING_IDS.shared, description: "the same indicator in several rules (info)" },
  {
    id: FINDING_IDS.missingComma,
    description: "two string literals side by side in a list: KQL joins them into one value",
  },
  {
    id: FINDING_IDS.malformed,
    description: "a hash of the wrong length for its column, or an IP address that cannot exist",
  },
];

/** A rule and what was extracted from its query. */
export interface RuleIndicators {
  rule: Rule;
  extraction: Extraction;
}

/** One entry of the repo-wide index written by `dedupe --report`. */
export interface IndexEntry {
  indicator: string;
  type: IndicatorType;
  occurrences: { file: string; line: number; ruleId: string | null }[];
}

export interface Analysis {
  findings: Finding[];
  /** One entry per indicator, in no particular order (`sortIndex` orders them). */
  index: IndexEntry[];
}

interface Located {
  ri: RuleIndicators;
  list: IndicatorList;
  item: IndicatorItem;
  norm: Normalised;
  /** The repo-wide index key (`indexKey(norm)`), computed once. */
  indexKey: string;
  /** The file line of the item; the full range is computed only for findings (`rangeOf`). */
  line: number;
  range?: Range;
}

function rangeOf(loc: Located): Range {
  loc.range ??= queryRange(loc.ri.rule, loc.item.start, loc.item.end);
  return loc.range;
}

/** "lines 25 and 30", or "4:12 and 4:30" when they share a line. */
function positions(locs: Located[]): string {
  const lines = locs.map((l) => l.line);
  if (new Set(lines).size === lines.length) return `lines ${lines.join(" and ")}`;
  return `at ${locs.map((l) => `${l.line}:${rangeOf(l).column}`).join(" and ")}`;
}

const article = (label: string) => (/^(MD5|IPv)|^[aeio]/.test(label) ? "an" : "a");

const show = (v: string) => `'${v.length > 80 ? `${v.slice(0, 77)}…` : v}'`;

function finding(
  loc: Located,
  ruleId: string,
  severity: Severity,
  message: string,
  fix?: string,
  edits?: TextEdit[],
): Finding {
  const r = rangeOf(loc);
  return {
    file: loc.ri.rule.file.path,
    line: r.line,
    column: r.column,
    endLine: r.endLine,
    endColumn: r.endColumn,
    ruleId,
    severity,
    message,
    ...(fix ? { fix } : {}),
    ...(edits?.length ? { edits } : {}),
  };
}

function describeList(list: IndicatorList): string {
  const name = list.letName ? ` \`${list.letName}\`` : "";
  switch (list.kind) {
    case "operator":
      return `this \`${list.operator}\` list`;
    case "dynamic":
      return `the dynamic array${name}`;
    case "pack_array":
      return `the pack_array${name}`;
    case "datatable":
      return `the datatable${name} column \`${list.column}\``;
    default:
      return "this comparison";
  }
}

/** The case-insensitive twin of each case-sensitive operator. */
const CASE_INSENSITIVE_FORM: Record<string, string> = {
  in: "in~",
  "!in": "!in~",
  "==": "=~",
  has_cs: "has",
  endswith_cs: "endswith",
};

function operatorPhrase(list: IndicatorList): string {
  return list.operator ? `\`${list.operator}\`` : "the operator";
}

/** Why two values with equal keys are the same indicator, in words. */
function equivalence(first: Located, later: Located): { message: string; caseUnderCs: boolean } {
  const a = first.item.value;
  const b = later.item.value;
  const list = later.list;
  if (first.norm.refanged !== a || later.norm.refanged !== b) {
    const [defanged, plain] = later.norm.refanged !== b ? [b, a] : [a, b];
    return {
      message: `${show(defanged)} is a defanged copy of ${show(plain)}`,
      caseUnderCs: false,
    };
  }
  if (a.toLowerCase() === b.toLowerCase()) {
    if (list.caseSensitive === true) {
      return {
        message: `${show(a)} and ${show(b)} differ only in case under a case-sensitive operator (${operatorPhrase(list)}): Kusto compares them as two values, and real telemetry spells the ${TYPE_LABELS[later.norm.type]} one way`,
        caseUnderCs: true,
      };
    }
    if (list.caseSensitive === false) {
      return {
        message: `${show(a)} and ${show(b)} differ only in case and ${operatorPhrase(list)} ignores case, so they are the same value`,
        caseUnderCs: false,
      };
    }
    return { message: `${show(a)} and ${show(b)} differ only in case`, caseUnderCs: false };
  }
  const trailingDot = (x: string, y: string) =>
    x.endsWith(".") && x.slice(0, -1).toLowerCase() === y.toLowerCase();
  if (trailingDot(a, b) || trailingDot(b, a)) {
    return {
      message: `${show(a)} and ${show(b)} are the same ${TYPE_LABELS[later.norm.type]}, one written with a trailing dot`,
      caseUnderCs: false,
    };
  }
  return {
    message: `${show(a)} and ${show(b)} are the same ${TYPE_LABELS[later.norm.type]} (${show(
      canonical(later.norm.refanged, later.norm.type),
    )}) written differently`,
    caseUnderCs: false,
  };
}

/** Stray whitespace, hash-length and IP-address problems of one value. */
function malformation(loc: Located): string | undefined {
  const { norm, item } = loc;
  const column = item.column ?? loc.list.column;
  const trimmed = norm.refanged.trim();
  if (trimmed !== norm.refanged && trimmed) {
    const type = classify(trimmed, { column });
    if (isIndicatorLike(type)) {
      return `${show(item.value)} has ${/^\s/.test(norm.refanged) ? "leading" : "trailing"} whitespace, which a ${TYPE_LABELS[type]} in telemetry never has; it never matches`;
    }
  }
  const ip = ipProblem(norm.refanged, norm.type);
  if (ip) return `${show(item.value)} ${ip}; it never matches an address`;
  const expected = hashTypeOfColumn(column);
  // Fewer than 16 hex digits is a number or a placeholder, not an attempt at a hash.
  if (!expected || !/^[0-9a-f]{16,}$/i.test(norm.refanged)) return undefined;
  const length = norm.refanged.length;
  if (length === HASH_LENGTHS[expected]) return undefined;
  const actual =
    norm.type === "md5" || norm.type === "sha1" || norm.type === "sha256"
      ? `${article(TYPE_LABELS[norm.type])} ${TYPE_LABELS[norm.type]} (${length} hex digits)`
      : `${length} hex digits`;
  return `${show(item.value)} is ${actual}, but \`${column}\` holds ${TYPE_LABELS[expected]}es of ${HASH_LENGTHS[expected]} hex digits; it never matches`;
}

/** Findings within one list; `fixEdits` supplies the edits `--fix` would make per item. */
function analyseList(located: Located[], findings: Finding[], fixEdits: FixEdits): void {
  const list = located[0].list;
  const isList = list.kind !== "comparison";
  for (const loc of located) {
    const { item, norm } = loc;
    if (item.tokens.length > 1) {
      findings.push(
        finding(
          loc,
          FINDING_IDS.missingComma,
          "error",
          `${item.tokens.map((t) => show(t.value)).join(" and ")} have no comma between them: KQL joins adjacent string literals, so ${describeList(list)} holds the single value ${show(item.value)} and matches none of them`,
          "put a comma between the literals",
        ),
      );
    }
    if (norm.refanged !== item.value && NETWORK_TYPES.has(norm.type)) {
      findings.push(
        finding(
          loc,
          FINDING_IDS.defanged,
          "warning",
          `${show(item.value)} is defanged: the query compares it as written, so it never matches real telemetry`,
          `write ${show(norm.refanged)}`,
          fixEdits.refang.get(item),
        ),
      );
    }
    const bad = malformation(loc);
    if (bad) findings.push(finding(loc, FINDING_IDS.malformed, "warning", bad));
  }
  if (!isList) return;
  // A list no `in`/`has_any` uses (`array_index_of(dynamic(["an", "an"]), …)`, a print of
  // sample data) may repeat words on purpose; there only indicator-like values count.
  const counts = (loc: Located) => list.operator !== undefined || isIndicatorLike(loc.norm.type);

  // Exact repeats. In a datatable of several columns only a repeated row is a repeat: the same
  // address with two different descriptions is data, not a mistake.
  const exact = new Map<string, Located[]>();
  for (const loc of located) {
    if (!counts(loc)) continue;
    const k = loc.item.row !== undefined && list.editable === false ? loc.item.row : loc.item.value;
    const group = exact.get(k);
    if (group) group.push(loc);
    else exact.set(k, [loc]);
  }
  for (const group of exact.values()) {
    if (group.length < 2) continue;
    for (const later of group.slice(1)) {
      findings.push(
        finding(
          later,
          FINDING_IDS.duplicate,
          "error",
          `${show(later.item.value)} appears ${group.length === 2 ? "twice" : `${group.length} times`} in ${describeList(list)}: ${positions(group)}`,
          list.editable
            ? "remove the repeat (dedupe --fix keeps the first)"
            : "remove the repeated row",
          fixEdits.remove.get(later.item),
        ),
      );
    }
  }

  // Equal after normalisation but written differently.
  const byKey = new Map<string, Located[]>();
  for (const loc of located) {
    if (!counts(loc)) continue;
    const group = byKey.get(loc.norm.key);
    if (group) group.push(loc);
    else byKey.set(loc.norm.key, [loc]);
  }
  for (const group of byKey.values()) {
    const distinct: Located[] = [];
    for (const loc of group) {
      if (!distinct.some((d) => d.item.value === loc.item.value)) distinct.push(loc);
    }
    if (distinct.length < 2) continue;
    const first = distinct[0];
    for (const later of distinct.slice(1)) {
      const { message, caseUnderCs } = equivalence(first, later);
      findings.push(
        finding(
          later,
          FINDING_IDS.equivalent,
          "warning",
          `${message} (${positions([first, later])} in ${describeList(list)})`,
          caseUnderCs
            ? `keep the spelling telemetry uses, or use \`${CASE_INSENSITIVE_FORM[list.operator ?? "in"] ?? "in~"}\` to match both`
            : "keep one of them",
          fixEdits.remove.get(later.item),
        ),
      );
    }
  }
}

/** Per-item edits a fix plan makes, so findings can carry them. */
export interface FixEdits {
  remove: Map<IndicatorItem, TextEdit[]>;
  refang: Map<IndicatorItem, TextEdit[]>;
}

export const NO_EDITS: FixEdits = { remove: new Map(), refang: new Map() };

function locate(ri: RuleIndicators): Located[][] {
  const map = queryMap(ri.rule);
  const file = ri.rule.file;
  const out: Located[][] = [];
  for (const list of ri.extraction.lists) {
    const located: Located[] = [];
    for (const item of list.items) {
      const norm = normalise(
        item.value,
        { column: item.column ?? list.column },
        list.caseSensitive === false,
      );
      const line = map
        ? positionAt(file, map.offsets[item.start]).line
        : queryRange(ri.rule, item.start, item.end).line;
      located.push({ ri, list, item, norm, indexKey: indexKey(norm), line });
    }
    out.push(located);
  }
  return out;
}

const ruleLabel = (ri: RuleIndicators, line: number) => `${ri.rule.file.path}:${line}`;

/**
 * Analyses every rule. `editsFor` (optional) gives the `--fix` edits of a rule so findings
 * can carry them.
 */
export function analyse(
  rules: RuleIndicators[],
  editsFor: (ri: RuleIndicators) => FixEdits = () => NO_EDITS,
): Analysis {
  const findings: Finding[] = [];
  const index = new Map<string, { entry: IndexEntry; byRule: Map<RuleIndicators, Located> }>();

  for (const ri of rules) {
    const lists = locate(ri).filter((l) => l.length);
    const edits = editsFor(ri);
    for (const located of lists) analyseList(located, findings, edits);

    // The same indicator in two lists of this rule. The same filter repeated in two branches
    // of a join (`!in ("127.0.0.1", "::1")` on both sides) is not redundant: it is needed twice.
    const firstList = new Map<string, Located>();
    const byList = new Map(lists.map((located) => [located[0].list, located]));
    const signatures = new Map<IndicatorList, string>();
    const signature = (list: IndicatorList): string => {
      let sig = signatures.get(list);
      if (sig === undefined) {
        const keys = [...new Set((byList.get(list) ?? []).map((l) => l.indexKey))].sort();
        sig = `${list.operator}|${keys.join("\u0000")}`;
        signatures.set(list, sig);
      }
      return sig;
    };
    for (const located of lists) {
      // Only lists an `in`/`has_any` uses: two arrays of sample data may share words.
      if (located[0].list.kind === "comparison" || located[0].list.operator === undefined) {
        continue;
      }
      const seenHere = new Set<string>();
      for (const loc of located) {
        const key = loc.indexKey;
        if (seenHere.has(key)) continue;
        seenHere.add(key);
        const earlier = firstList.get(key);
        if (!earlier) {
          firstList.set(key, loc);
          continue;
        }
        if (earlier.list === loc.list) continue;
        if (signature(earlier.list) === signature(loc.list)) continue;
        findings.push(
          finding(
            loc,
            FINDING_IDS.redundant,
            "warning",
            `${show(loc.item.value)} is also in ${describeList(earlier.list)} at line ${earlier.line}`,
            "keep the indicator in one list (a `let` list can serve several operators)",
          ),
        );
      }
    }

    for (const located of lists) {
      // Values of `!in` lists are exclusions (`127.0.0.1`), not indicators another rule shares.
      const exclusion = located[0].list.operator?.startsWith("!") ?? false;
      for (const loc of located) {
        const key = loc.indexKey;
        let slot = index.get(key);
        if (!slot) {
          slot = {
            entry: {
              indicator: loc.norm.form,
              type: loc.norm.type,
              occurrences: [],
            },
            byRule: new Map(),
          };
          index.set(key, slot);
        }
        slot.entry.occurrences.push({
          file: ri.rule.file.path,
          line: loc.line,
          ruleId: ri.rule.id ?? null,
        });
        if (!exclusion && !slot.byRule.has(ri)) slot.byRule.set(ri, loc);
      }
    }
  }

  for (const { entry, byRule } of index.values()) {
    if (byRule.size < 2 || !IOC_TYPES.has(entry.type)) continue;
    const all = [...byRule.entries()];
    // The first four suffice to name three others for each rule.
    const labels = all.slice(0, 4).map(([o, l]) => ruleLabel(o, l.line));
    const others = all.length - 1;
    const more = others > 3 ? ` and ${others - 3} more` : "";
    for (let i = 0; i < all.length; i++) {
      const names = labels.filter((_, k) => k !== i).slice(0, 3);
      findings.push(
        finding(
          all[i][1],
          FINDING_IDS.shared,
          "info",
          `${TYPE_LABELS[entry.type]} ${show(entry.indicator)} is also in ${others} other rule${others > 1 ? "s" : ""}: ${names.join(", ")}${more}`,
          "consider a shared watchlist or function for indicators used by several rules",
        ),
      );
    }
  }

  const entries = [...index.values()].map((s) => s.entry);
  // Presorted by code units, the shared sort (localeCompare) then has almost nothing to do:
  // with 20,000 shared-indicator findings that saves a few hundred milliseconds.
  findings.sort(
    (a, b) =>
      cmp(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.message, b.message),
  );
  return { findings: sortFindings(findings), index: entries };
}

/** Plain code-unit order: stable across machines and far faster than localeCompare. */
function cmp(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The index as the report prints it: most frequent first, then by type and value. */
export function sortIndex(entries: IndexEntry[]): IndexEntry[] {
  return [...entries].sort(
    (a, b) =>
      b.occurrences.length - a.occurrences.length ||
      cmp(a.type, b.type) ||
      cmp(a.indicator, b.indicator),
  );
}
