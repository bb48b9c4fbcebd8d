// Applies text edits to a file's text: every byte outside the edits stays as it was.

import type { TextEdit } from "./finding";

export class EditConflict extends Error {}

/** Applies non-overlapping edits (identical duplicates are applied once). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const unique = new Map<string, TextEdit>();
  for (const e of edits) unique.set(`${e.start}:${e.end}:${e.replacement}`, e);
  const sorted = [...unique.values()].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end) {
      throw new EditConflict(
        `two fixes overlap at offsets ${sorted[i - 1].start}-${sorted[i - 1].end} and ${sorted[i].start}-${sorted[i].end}`,
      );
    }
  }
  let out = "";
  let cursor = 0;
  for (const e of sorted) {
    if (e.start < 0 || e.end > text.length || e.start > e.end) {
      throw new EditConflict(`a fix points outside the file (offsets ${e.start}-${e.end})`);
    }
    out += text.slice(cursor, e.start) + e.replacement;
    cursor = e.end;
  }
  return out + text.slice(cursor);
}
