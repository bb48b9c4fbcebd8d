// `dedupe --fix`: removes exact repeats from indicator lists (keeping the first) and refangs
// defanged values, touching nothing else: comments, commas, line breaks, the indentation of
// the YAML block scalar and CRLF line ends stay byte-for-byte.
//
// Edits are planned on the query text, where the syntax tree's offsets are, then mapped to
// the file through the scalar's position map. A query with a syntax error is not fixed (the
// tree is a guess there). A plan is only used after proof: the edited file must load, its
// query must be exactly the edited query, Kusto must find no syntax error, the lists must
// hold exactly the values we meant to leave, and planning again must find nothing to do (so
// a second run changes nothing). Otherwise the file is left alone and the reason is reported.

import { isScalar, Scalar } from "yaml";
import type { TextEdit } from "../lint/finding";
import { applyEdits, EditConflict } from "../lint/fix";
import { loadRuleText, nodeAt, queryMap, Rule } from "../rules/load";
import type { ScalarStyle } from "../rules/scalar-map";
import { classify, isIndicatorLike, NETWORK_TYPES } from "./classify";
import type { FixEdits, RuleIndicators } from "./dedupe";
import { extractIndicators, IndicatorItem, IndicatorList } from "./extract";
import { normalise, refang } from "./normalise";

interface ItemAction {
  item: IndicatorItem;
  action: "remove" | "refang";
  edits: TextEdit[];
}

/** Query-level edits of one rule, per item. */
export interface QueryPlan {
  actions: ItemAction[];
  /** What each editable list should hold afterwards, in order. */
  expectedValues: string[][];
}

export interface FixResult {
  /** The new file text; absent when there was nothing to do or the fix was refused. */
  text?: string;
  /** Why the file was left alone although it had something to fix. */
  refusal?: string;
  removed: number;
  refanged: number;
  /** File-level edits per item, for findings to carry. */
  edits: FixEdits;
}

function isDefanged(item: IndicatorItem, list: IndicatorList): boolean {
  const n = normalise(item.value, { column: item.column ?? list.column }, false);
  return n.refanged !== item.value && NETWORK_TYPES.has(n.type);
}

/** The query range that removes elements[i] with the separator that belongs to it. */
function removalEdits(
  query: string,
  list: IndicatorList,
  i: number,
  trailing: boolean,
): TextEdit[] | undefined {
  const el = list.elements[i];
  const hasComment = (from: number, to: number) => query.slice(from, to).includes("//");
  if (!trailing) {
    const next = list.elements[i + 1];
    if (el.commaEnd === undefined || !next) return undefined;
    if (!hasComment(el.end, next.start))
      return [{ start: el.start, end: next.start, replacement: "" }];
    // Keep the comment: remove the item and its comma, and the line if nothing else is on it.
    let end = el.commaEnd;
    while (query[end] === " " || query[end] === "\t") end++;
    const lineStart = query.lastIndexOf("\n", el.start - 1) + 1;
    const alone = /^[ \t]*$/.test(query.slice(lineStart, el.start)) && query[end] === "\n";
    return alone
      ? [{ start: lineStart, end: end + 1, replacement: "" }]
      : [{ start: el.start, end, replacement: "" }];
  }
  const prev = list.elements[i - 1];
  if (!prev || prev.commaStart === undefined || prev.commaEnd === undefined) return undefined;
  if (!hasComment(prev.commaEnd, el.start)) {
    return [{ start: prev.commaStart, end: el.end, replacement: "" }];
  }
  // A comment sits between the last kept item and this one: remove the comma and the item
  // separately, and the item's line when nothing else is on it.
  let end = el.end;
  while (query[end] === " " || query[end] === "\t") end++;
  const lineStart = query.lastIndexOf("\n", el.start - 1) + 1;
  const alone =
    lineStart > prev.commaEnd &&
    /^[ \t]*$/.test(query.slice(lineStart, el.start)) &&
    query[end] === "\n";
  return [
    { start: prev.commaStart, end: prev.commaEnd, replacement: "" },
    alone
      ? { start: lineStart, end: end + 1, replacement: "" }
      : { start: el.start, end: el.end, replacement: "" },
  ];
}

/** What `--fix` would change in a query: exact repeats removed, defanged values refanged. */
/** Which fixes to make: a finding id turned off or suppressed for a rule is not fixed. */
export interface FixKinds {
  /** Remove exact repeats (`duplicate-indicator`). */
  remove: boolean;
  /** Refang defanged values (`defanged-indicator`). */
  refang: boolean;
}

export const ALL_FIXES: FixKinds = { remove: true, refang: true };

export function planQueryFix(
  query: string,
  lists: IndicatorList[],
  kinds: FixKinds = ALL_FIXES,
): QueryPlan {
  const actions: ItemAction[] = [];
  const expectedValues: string[][] = [];
  for (const list of lists) {
    if (!list.editable) continue;
    const seen = new Set<string>();
    const removed = new Set<number>();
    const kept: string[] = [];
    const refangs: ItemAction[] = [];
    for (const item of list.items) {
      const defanged = kinds.refang && item.tokens.length === 1 && isDefanged(item, list);
      const value = defanged ? refang(item.value) : item.value;
      // As dedupe reports them: in a list no `in`/`has_any` uses, only indicator-like repeats.
      const counts =
        list.operator !== undefined ||
        isIndicatorLike(classify(refang(item.value), { column: item.column ?? list.column }));
      if (kinds.remove && counts && seen.has(value)) {
        removed.add(item.element);
        continue;
      }
      seen.add(value);
      kept.push(value);
      if (defanged) {
        const token = item.tokens[0];
        refangs.push({
          item,
          action: "refang",
          edits: [{ start: token.start, end: token.end, replacement: refang(token.text) }],
        });
      }
    }
    expectedValues.push(kept);
    actions.push(...refangs);
    let ok = true;
    const removals: ItemAction[] = [];
    for (const item of list.items) {
      if (!removed.has(item.element)) continue;
      let trailing = true;
      for (let j = item.element + 1; j < list.elements.length; j++) {
        if (!removed.has(j)) trailing = false;
      }
      const edits = removalEdits(query, list, item.element, trailing);
      if (!edits) {
        ok = false;
        break;
      }
      removals.push({ item, action: "remove", edits });
    }
    if (ok) actions.push(...removals);
    else {
      // Cannot remove cleanly (no comma to take along): refang only.
      expectedValues[expectedValues.length - 1] = list.items.map((it) =>
        kinds.refang && it.tokens.length === 1 && isDefanged(it, list)
          ? refang(it.value)
          : it.value,
      );
    }
  }
  return { actions, expectedValues };
}

function escapeFor(style: ScalarStyle, text: string): string | undefined {
  switch (style) {
    case "BLOCK_LITERAL":
      return text.includes("\n") ? undefined : text;
    case "QUOTE_DOUBLE":
      if (/[\x00-\x1f\x7f]/.test(text)) return undefined;
      return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
    case "QUOTE_SINGLE":
      return text.includes("\n") ? undefined : text.replace(/'/g, "''");
    default:
      return undefined;
  }
}

const STYLE_NAMES: Record<ScalarStyle, string> = {
  BLOCK_LITERAL: "a literal block scalar (`|`)",
  BLOCK_FOLDED: "a folded block scalar (`>`)",
  QUOTE_DOUBLE: "a double-quoted scalar",
  QUOTE_SINGLE: "a single-quoted scalar",
  PLAIN: "a plain scalar",
};

/** Maps query edits to file edits, or says why it cannot. */
function toFileEdits(rule: Rule, edits: TextEdit[]): TextEdit[] | string {
  const query = rule.query ?? "";
  const map = queryMap(rule);
  const node = nodeAt(rule, ["query"]);
  if (!map || !isScalar(node)) return "the query is not a YAML string";
  const style = (node as Scalar).type as ScalarStyle;
  if (!map.exact) {
    return `the query's characters cannot be mapped exactly to the file (${STYLE_NAMES[style]} in a form we do not rebuild); write it as a literal block (\`query: |\`)`;
  }
  if (style === "BLOCK_FOLDED" || style === "PLAIN") {
    return `the query is ${STYLE_NAMES[style]}, where removing or changing text can refold lines; write it as a literal block (\`query: |\`)`;
  }
  const text = rule.file.text;
  const quoted = style === "QUOTE_DOUBLE" || style === "QUOTE_SINGLE";
  const out: TextEdit[] = [];
  for (const e of edits) {
    const replacement = escapeFor(style, e.replacement);
    if (replacement === undefined) {
      return `the new text cannot be written inside ${STYLE_NAMES[style]}`;
    }
    let start = map.offsets[e.start];
    // Removing a line break removes the CR that goes with it.
    if (query[e.start] === "\n" && text[start - 1] === "\r") start--;
    let end: number;
    if (e.end === e.start) end = start;
    else if (quoted)
      end = e.end < query.length ? map.offsets[e.end] : map.offsets[query.length] - 1;
    else if (query[e.end - 1] === "\n") {
      // Through a line break: up to the next line's first character, past its indentation.
      end = e.end < query.length ? map.offsets[e.end] : map.offsets[e.end - 1] + 1;
      if (query[e.end] === "\n" && text[end - 1] === "\r") end--;
    } else end = map.offsets[e.end - 1] + 1;
    out.push({ start, end, replacement });
  }
  return out;
}

function values(lists: IndicatorList[]): string[][] {
  return lists.filter((l) => l.editable).map((l) => l.items.map((i) => i.value));
}

/** Plans, maps, applies and verifies the fix of one rule. Never throws. */
export function fixRule(ri: RuleIndicators, kinds: FixKinds = ALL_FIXES): FixResult {
  const edits: FixEdits = { remove: new Map(), refang: new Map() };
  const query = ri.rule.query;
  const none = { removed: 0, refanged: 0, edits };
  if (query === undefined) return none;
  if (!kinds.remove && !kinds.refang) return none;
  const plan = planQueryFix(query, ri.extraction.lists, kinds);
  if (!plan.actions.length) return none;
  const removed = plan.actions.filter((a) => a.action === "remove").length;
  const refanged = plan.actions.length - removed;
  const refuse = (why: string): FixResult => ({ refusal: why, removed: 0, refanged: 0, edits });
  // Around a syntax error the tree is a guess; a fix there could not promise a query that
  // still parses.
  if (ri.extraction.syntaxErrors > 0) {
    return refuse("the query has a KQL syntax error; fix it first (see `lint`)");
  }

  const queryEdits = plan.actions.flatMap((a) => a.edits);
  let expectedQuery: string;
  let text: string;
  const fileEditsByAction: TextEdit[][] = [];
  try {
    expectedQuery = applyEdits(query, queryEdits);
    for (const a of plan.actions) {
      const mapped = toFileEdits(ri.rule, a.edits);
      if (typeof mapped === "string") return refuse(mapped);
      fileEditsByAction.push(mapped);
    }
    text = applyEdits(ri.rule.file.text, fileEditsByAction.flat());
  } catch (err) {
    if (err instanceof EditConflict) return refuse(`the planned edits conflict: ${err.message}`);
    throw err;
  }

  const reloaded = loadRuleText(text, ri.rule.file.path).rule;
  if (!reloaded) return refuse("the fixed file would no longer load as YAML");
  if (reloaded.query !== expectedQuery) {
    return refuse("the fixed file's query would differ from the intended edit");
  }
  const after = extractIndicators(expectedQuery);
  if (after.syntaxErrors > 0) {
    return refuse("the fixed query would have a KQL syntax error");
  }
  if (JSON.stringify(values(after.lists)) !== JSON.stringify(plan.expectedValues)) {
    return refuse("the fixed lists would not hold exactly the intended values");
  }
  if (planQueryFix(expectedQuery, after.lists, kinds).actions.length) {
    return refuse("a second run would change the file again");
  }
  plan.actions.forEach((a, i) => {
    (a.action === "remove" ? edits.remove : edits.refang).set(a.item, fileEditsByAction[i]);
  });
  return { text, removed, refanged, edits };
}
