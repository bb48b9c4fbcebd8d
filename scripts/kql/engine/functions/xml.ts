// parse_xml: XML text to a dynamic value, with Kusto's (Json.NET's) mapping: an element is a
// key; attributes become "@name" keys; text beside attributes or children is "#text";
// repeated child elements become an array; an empty element is null. Comments, processing
// instructions and DOCTYPE are skipped. Malformed XML gives null.

import type { Json } from "../values";
import { newBag } from "./coerce";
import { defineScalar } from "./registry";
import { str } from "./strings";

const MAX_XML_LENGTH = 1_048_576;

class XmlSyntaxError extends Error {}

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (m, e: string) => {
    if (e.startsWith("#x")) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(parseInt(e.slice(1), 10));
    const named = ENTITIES[e];
    if (named === undefined) throw new XmlSyntaxError(`unknown entity ${m}`);
    return named;
  });
}

/** A small recursive-descent reader over the XML text. */
class XmlReader {
  pos = 0;
  constructor(readonly text: string) {}

  /** Skips whitespace, comments, processing instructions and DOCTYPE declarations. */
  skipMisc(): void {
    for (;;) {
      while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
      if (this.text.startsWith("<?", this.pos)) this.skipPast("?>");
      else if (this.text.startsWith("<!--", this.pos)) this.skipPast("-->");
      else if (this.text.startsWith("<!DOCTYPE", this.pos)) this.skipPast(">");
      else return;
    }
  }

  skipPast(end: string): void {
    const at = this.text.indexOf(end, this.pos);
    if (at < 0) throw new XmlSyntaxError(`missing ${end}`);
    this.pos = at + end.length;
  }

  name(): string {
    const m = /^[A-Za-z_:][\w:.-]*/.exec(this.text.slice(this.pos, this.pos + 256));
    if (!m) throw new XmlSyntaxError(`expected a name at ${this.pos}`);
    this.pos += m[0].length;
    return m[0];
  }

  /** Reads one element starting at '<'; returns its name and JSON value. */
  element(): [string, Json] {
    if (this.text[this.pos] !== "<") throw new XmlSyntaxError(`expected '<' at ${this.pos}`);
    this.pos++;
    const name = this.name();
    const bag = newBag();
    let hasAttributes = false;
    for (;;) {
      while (/\s/.test(this.text[this.pos] ?? "")) this.pos++;
      const ch = this.text[this.pos];
      if (ch === "/" && this.text[this.pos + 1] === ">") {
        this.pos += 2;
        return [name, hasAttributes ? bag : null];
      }
      if (ch === ">") {
        this.pos++;
        break;
      }
      if (ch === undefined) throw new XmlSyntaxError("unexpected end of input");
      const attr = this.name();
      while (/\s/.test(this.text[this.pos] ?? "")) this.pos++;
      if (this.text[this.pos] !== "=") throw new XmlSyntaxError(`expected '=' after ${attr}`);
      this.pos++;
      while (/\s/.test(this.text[this.pos] ?? "")) this.pos++;
      const quote = this.text[this.pos];
      if (quote !== '"' && quote !== "'") throw new XmlSyntaxError(`unquoted attribute ${attr}`);
      const end = this.text.indexOf(quote, this.pos + 1);
      if (end < 0) throw new XmlSyntaxError(`unterminated attribute ${attr}`);
      bag["@" + attr] = decodeEntities(this.text.slice(this.pos + 1, end));
      hasAttributes = true;
      this.pos = end + 1;
    }
    let text = "";
    let hasChildren = false;
    // Child names already turned into arrays (a child whose own value is an array is not).
    const repeated = new Set<string>();
    for (;;) {
      if (this.pos >= this.text.length) throw new XmlSyntaxError(`unclosed element <${name}>`);
      if (this.text.startsWith("</", this.pos)) {
        this.pos += 2;
        const closing = this.name();
        if (closing !== name) throw new XmlSyntaxError(`</${closing}> closes <${name}>`);
        while (/\s/.test(this.text[this.pos] ?? "")) this.pos++;
        if (this.text[this.pos] !== ">") throw new XmlSyntaxError(`expected '>' after </${name}`);
        this.pos++;
        break;
      }
      if (this.text.startsWith("<!--", this.pos)) this.skipPast("-->");
      else if (this.text.startsWith("<?", this.pos)) this.skipPast("?>");
      else if (this.text.startsWith("<![CDATA[", this.pos)) {
        const end = this.text.indexOf("]]>", this.pos);
        if (end < 0) throw new XmlSyntaxError("unterminated CDATA");
        text += this.text.slice(this.pos + 9, end);
        this.pos = end + 3;
      } else if (this.text[this.pos] === "<") {
        const [childName, childValue] = this.element();
        hasChildren = true;
        const prev = bag[childName];
        if (prev === undefined) bag[childName] = childValue;
        else if (repeated.has(childName)) (prev as Json[]).push(childValue);
        else {
          bag[childName] = [prev, childValue];
          repeated.add(childName);
        }
      } else {
        const next = this.text.indexOf("<", this.pos);
        const chunk = this.text.slice(this.pos, next < 0 ? this.text.length : next);
        text += decodeEntities(chunk);
        this.pos = next < 0 ? this.text.length : next;
      }
    }
    const trimmed = text.trim();
    if (!hasAttributes && !hasChildren) return [name, trimmed === "" ? null : trimmed];
    if (trimmed !== "") bag["#text"] = trimmed;
    return [name, bag];
  }
}

/** Parses XML text into Kusto's JSON shape; null when the XML is malformed. */
export function parseXml(text: string): Json {
  if (text.length > MAX_XML_LENGTH) return null;
  const reader = new XmlReader(text);
  try {
    reader.skipMisc();
    const [name, value] = reader.element();
    reader.skipMisc();
    if (reader.pos !== text.length) return null;
    const root = newBag();
    root[name] = value;
    return root;
  } catch (e) {
    if (e instanceof XmlSyntaxError) return null;
    throw e;
  }
}

defineScalar({
  name: "parse_xml",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => parseXml(str(args, ctx, 0)),
});
