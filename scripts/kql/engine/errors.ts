// Errors the engine raises. Every failure names where in the query it happened, so a rule
// author can find the construct; features the engine lacks say "unsupported" so they are never
// mistaken for a wrong query or, worse, silently produce a wrong result.

import type { SyntaxElement } from "../kusto";

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

/** Sets the text that error positions refer to (the query being compiled). */
export function setQueryText(text: string): void {
  currentQueryText = text;
}

function at(node: SyntaxElement | undefined): { where: string; line?: number; column?: number } {
  if (!node) return { where: "" };
  const { line, column } = lineColumn(currentQueryText, node.TextStart);
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
