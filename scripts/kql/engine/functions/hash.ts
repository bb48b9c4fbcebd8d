// Hash functions: hash / hash_xxhash64 (XXH64, seed 0, as Kusto's `hash()`), hash_sha256,
// hash_sha1, hash_md5, hash_crc32, hash_djb2.
//
// Kusto hashes a string's UTF-8 bytes and a number's 8 little-endian bytes (a datetime as its
// .NET ticks), which is what the documented examples reproduce. Results are signed 64-bit
// longs, exact: beyond ±2^53 they are bigints (see values.ts).

import { createHash } from "node:crypto";
import { exactLong, type KustoType, type Value } from "../values";
import { toKustoString, toNumber } from "./coerce";
import { DOTNET_TICKS_AT_ENGINE_EPOCH } from "./conversion";
import { defineScalar, type CallContext } from "./registry";

const P1 = 0x9e3779b185ebca87n;
const P2 = 0xc2b2ae3d27d4eb4fn;
const P3 = 0x165667b19e3779f9n;
const P4 = 0x85ebca77c2b2ae63n;
const P5 = 0x27d4eb2f165667c5n;
const M64 = 0xffffffffffffffffn;

function rotl(x: bigint, r: bigint): bigint {
  return ((x << r) | (x >> (64n - r))) & M64;
}

function round(acc: bigint, lane: bigint): bigint {
  acc = (acc + lane * P2) & M64;
  acc = rotl(acc, 31n);
  return (acc * P1) & M64;
}

function mergeRound(acc: bigint, val: bigint): bigint {
  acc ^= round(0n, val);
  return (acc * P1 + P4) & M64;
}

/** XXH64 of a byte buffer (unsigned 64-bit result). */
export function xxhash64(data: Uint8Array, seed = 0n): bigint {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const len = data.length;
  let i = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (seed + P1 + P2) & M64;
    let v2 = (seed + P2) & M64;
    let v3 = seed;
    let v4 = (seed - P1) & M64;
    for (; i + 32 <= len; i += 32) {
      v1 = round(v1, view.getBigUint64(i, true));
      v2 = round(v2, view.getBigUint64(i + 8, true));
      v3 = round(v3, view.getBigUint64(i + 16, true));
      v4 = round(v4, view.getBigUint64(i + 24, true));
    }
    h = (rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n)) & M64;
    h = mergeRound(h, v1);
    h = mergeRound(h, v2);
    h = mergeRound(h, v3);
    h = mergeRound(h, v4);
  } else {
    h = (seed + P5) & M64;
  }
  h = (h + BigInt(len)) & M64;
  for (; i + 8 <= len; i += 8) {
    h ^= round(0n, view.getBigUint64(i, true));
    h = (rotl(h, 27n) * P1 + P4) & M64;
  }
  if (i + 4 <= len) {
    h ^= (BigInt(view.getUint32(i, true)) * P1) & M64;
    h = (rotl(h, 23n) * P2 + P3) & M64;
    i += 4;
  }
  for (; i < len; i++) {
    h ^= (BigInt(data[i]) * P5) & M64;
    h = (rotl(h, 11n) * P1) & M64;
  }
  h ^= h >> 33n;
  h = (h * P2) & M64;
  h ^= h >> 29n;
  h = (h * P3) & M64;
  h ^= h >> 32n;
  return h;
}

/** The bytes Kusto hashes for a value of type `t`. */
export function hashBytes(v: Value, t: KustoType): Uint8Array {
  if (typeof v === "bigint") {
    const buf = Buffer.alloc(8);
    buf.writeBigInt64LE(BigInt.asIntN(64, v));
    return buf;
  }
  if (typeof v === "number" && t !== "string" && t !== "dynamic") {
    const buf = Buffer.alloc(8);
    if (t === "real" || t === "decimal" || !Number.isFinite(v)) buf.writeDoubleLE(v);
    else {
      const ticks =
        t === "datetime"
          ? BigInt(DOTNET_TICKS_AT_ENGINE_EPOCH) + BigInt(Math.round(v))
          : BigInt(Math.round(v));
      buf.writeBigInt64LE(BigInt.asIntN(64, ticks));
    }
    return buf;
  }
  if (typeof v === "boolean") return Uint8Array.of(v ? 1 : 0);
  return Buffer.from(toKustoString(v, t), "utf8");
}

function xxhashImpl(args: Value[], ctx: CallContext): Value {
  if (args[0] === null) return null;
  const h = BigInt.asIntN(64, xxhash64(hashBytes(args[0], ctx.argTypes[0])));
  if (args.length < 2) return exactLong(h);
  const m = toNumber(args[1]);
  if (m === null || !Number.isFinite(m) || m < 1) return null;
  const mod = BigInt(Math.trunc(m));
  const r = h % mod;
  return Number(r < 0n ? r + mod : r);
}

defineScalar({ name: "hash", minArgs: 1, maxArgs: 2, impl: xxhashImpl });
defineScalar({ name: "hash_xxhash64", minArgs: 1, maxArgs: 2, impl: xxhashImpl });

function digest(name: string, algorithm: string): void {
  defineScalar({
    name,
    minArgs: 1,
    maxArgs: 1,
    impl: ([v], ctx) => {
      if (v === null) return null;
      const text = toKustoString(v, ctx.argTypes[0]);
      return createHash(algorithm).update(text, "utf8").digest("hex");
    },
  });
}

digest("hash_sha256", "sha256");
digest("hash_sha1", "sha1");
digest("hash_md5", "md5");

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

defineScalar({
  name: "hash_crc32",
  minArgs: 1,
  maxArgs: 2,
  impl: (args, ctx) => {
    if (args[0] === null) return null;
    let c = 0xffffffff;
    for (const b of hashBytes(args[0], ctx.argTypes[0])) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    const h = (c ^ 0xffffffff) | 0;
    if (args.length < 2) return h;
    const m = toNumber(args[1]);
    return m === null || m <= 0 ? null : ((h % m) + m) % m;
  },
});

defineScalar({
  name: "hash_djb2",
  minArgs: 1,
  maxArgs: 1,
  impl: ([v], ctx) => {
    if (v === null) return null;
    let h = 5381;
    for (const b of Buffer.from(toKustoString(v, ctx.argTypes[0]), "utf8"))
      h = (Math.imul(h, 33) + b) | 0;
    return h;
  },
});
