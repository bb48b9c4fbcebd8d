// Small, null-tolerant accessors over Kusto.Language syntax nodes.

import { childNamed, type SyntaxElement } from "../kusto";

/** The child in a named slot; undefined when the slot or the parent itself is absent. */
export function child(
  e: SyntaxElement | undefined | null,
  name: string,
): SyntaxElement | undefined {
  return e ? childNamed(e, name) : undefined;
}
