// Compression functions: zlib_compress_to_base64_string, zlib_decompress_from_base64_string,
// gzip_compress_to_base64_string, gzip_decompress_from_base64_string. Text is UTF-8; input
// that is not valid base64 or not a valid stream decompresses to "".

import { deflateSync, gunzipSync, gzipSync, inflateSync } from "node:zlib";
import { defineScalar } from "./registry";
import { str } from "./strings";

const BASE64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

// A cap on decompressed size keeps a "zip bomb" cell from exhausting memory.
const MAX_OUTPUT = 64 * 1024 * 1024;

function decompressor(name: string, inflate: (b: Buffer) => Buffer): void {
  defineScalar({
    name,
    minArgs: 1,
    maxArgs: 1,
    impl: (args, ctx) => {
      const text = str(args, ctx, 0).trim();
      if (!BASE64_RE.test(text) || text === "") return "";
      try {
        return new TextDecoder("utf-8", { fatal: true }).decode(
          inflate(Buffer.from(text, "base64")),
        );
      } catch {
        return "";
      }
    },
  });
}

decompressor("zlib_decompress_from_base64_string", (b) =>
  inflateSync(b, { maxOutputLength: MAX_OUTPUT }),
);
decompressor("gzip_decompress_from_base64_string", (b) =>
  gunzipSync(b, { maxOutputLength: MAX_OUTPUT }),
);

defineScalar({
  name: "zlib_compress_to_base64_string",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => deflateSync(Buffer.from(str(args, ctx, 0), "utf8")).toString("base64"),
});

defineScalar({
  name: "gzip_compress_to_base64_string",
  minArgs: 1,
  maxArgs: 1,
  impl: (args, ctx) => gzipSync(Buffer.from(str(args, ctx, 0), "utf8")).toString("base64"),
});
