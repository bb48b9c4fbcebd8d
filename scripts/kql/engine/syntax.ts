// Small, null-tolerant accessors over Kusto.Language syntax nodes.

import { childNamed, expansionOf, kindOf, type SyntaxElement } from "../kusto";
import { registerExpansion } from "./errors";

/** The child in a named slot; undefined when the slot or the parent itself is absent. */
export function child(
  e: SyntaxElement | undefined | null,
  name: string,
): SyntaxElement | undefined {
  return e ? childNamed(e, name) : undefined;
}

/**
 * The body to evaluate for a call: Kusto.Language's expansion for this call when it has one of
 * the same shape, so types that depend on the arguments (`table(name)`, `column_ifexists`) are
 * known, as they are to Kusto; else the declared body.
 */
export function expandedBody(call: SyntaxElement, body: SyntaxElement): SyntaxElement {
  if (kindOf(call) !== "FunctionCallExpression") return body;
  const expansion = expansionOf(call);
  if (!expansion || kindOf(expansion) !== "FunctionBody" || expansion.FullWidth !== body.FullWidth)
    return body;
  registerExpansion(expansion, body.TextStart - expansion.TextStart);
  return expansion;
}
