// Errors the engine raises. Every failure names where in the query it happened, so a rule
// author can find the construct; features the engine lacks say "unsupported" so they are never
// mistaken for a wrong query or, worse, silently produce a wrong result.

import { rootOf, type SyntaxElement } from "../kusto";

export class KqlError extends Error {
  constructor(
    message: string,
    /** 1-based line and column in the query, when known. */
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
    this.name = "KqlError";
  }
}

/** Line and column (1-based) of an offset into `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

let currentQueryText = "";
let preludeLines = 0;

/**
 * Sets the text that error positions refer to. `prelude` lines (definitions of known functions
 * the engine puts before the caller's query) are not counted in reported line numbers.
 */
export function setQueryText(text: string, prelude = 0): void {
  currentQueryText = text;
  preludeLines = prelude;
}

// Function expansions (see kusto.ts `expansionOf`) are trees of their own, whose offsets count
// from the function body's start; this maps each to where its body starts in the query.
const expansionOffsets = new WeakMap<object, number>();

/** Records that offsets in `expansion` are `delta` characters before the query's. */
export function registerExpansion(expansion: SyntaxElement, delta: number): void {
  expansionOffsets.set(expansion, delta);
}

/** Position of an offset of the analysed text in the caller's query. */
export function queryPosition(offset: number): {
  line: number;
  column: number;
  inPrelude: boolean;
} {
  const { line, column } = lineColumn(currentQueryText, offset);
  return { line: line - preludeLines, column, inPrelude: line <= preludeLines };
}

function at(node: SyntaxElement | undefined): { where: string; line?: number; column?: number } {
  if (!node) return { where: "" };
  const delta = expansionOffsets.get(rootOf(node)) ?? 0;
  const { line, column, inPrelude } = queryPosition(node.TextStart + delta);
  if (inPrelude) return { where: " in the body of a known function (schemas/functions)" };
  return { where: ` at line ${line}:${column}`, line, column };
}

/** A construct the engine does not implement. */
export function unsupported(what: string, node?: SyntaxElement): KqlError {
  const { where, line, column } = at(node);
  return new KqlError(`unsupported: ${what}${where}`, line, column);
}

/** A query error detected while evaluating (bad argument, wrong type…). */
export function queryError(message: string, node?: SyntaxElement): KqlError {
  const { where, line, column } = at(node);
  return new KqlError(`${message}${where}`, line, column);
}

/** The row or time budget ran out. */
export class BudgetError extends KqlError {}
