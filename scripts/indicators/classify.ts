// What kind of indicator a string literal is: domain, URL, IP address, hash, email, file name
// or something else. The kind decides how a value is normalised and which malformations are
// worth a warning, so it errs towards "other" when a value could be two things.

import { isIPv6 } from "node:net";

export type IndicatorType =
  | "domain"
  | "url"
  | "ipv4"
  | "ipv6"
  | "cidr"
  | "md5"
  | "sha1"
  | "sha256"
  | "email"
  | "file-name"
  | "other";

/** Kinds that identify infrastructure or samples: the ones worth a repo-wide index entry. */
export const IOC_TYPES: ReadonlySet<IndicatorType> = new Set<IndicatorType>([
  "domain",
  "url",
  "ipv4",
  "ipv6",
  "cidr",
  "md5",
  "sha1",
  "sha256",
  "email",
]);

/** Indicators proper, and file names (a dropped tool's name is an indicator too). */
export function isIndicatorLike(type: IndicatorType): boolean {
  return IOC_TYPES.has(type) || type === "file-name";
}

/** Kinds that a defanged value must turn into for us to call it defanged. */
export const NETWORK_TYPES: ReadonlySet<IndicatorType> = new Set<IndicatorType>([
  "domain",
  "url",
  "ipv4",
  "ipv6",
  "cidr",
  "email",
]);

export const HASH_LENGTHS: Record<"md5" | "sha1" | "sha256", number> = {
  md5: 32,
  sha1: 40,
  sha256: 64,
};

export const TYPE_LABELS: Record<IndicatorType, string> = {
  domain: "domain",
  url: "URL",
  ipv4: "IPv4 address",
  ipv6: "IPv6 address",
  cidr: "CIDR range",
  md5: "MD5 hash",
  sha1: "SHA-1 hash",
  sha256: "SHA-256 hash",
  email: "email address",
  "file-name": "file name",
  other: "value",
};

/**
 * Extensions that make `name.ext` a file, not a host. Several are also top-level domains
 * (`.zip`, `.com`, `.py`); a column that holds hosts (`RemoteUrl`) overrides this.
 */
const FILE_EXTENSIONS = new Set(
  (
    "exe dll sys drv ocx cpl scr com bat cmd ps1 psm1 psd1 vbs vbe js jse wsf wsh hta msi msp " +
    "lnk inf ini reg jar class py pyc sh elf so dylib bin dat tmp log txt csv xml json yml yaml " +
    "doc docx docm dot dotm xls xlsx xlsm xlsb xlam ppt pptx pptm rtf pdf one iso img vhd vhdx " +
    "zip rar 7z gz tgz tar cab arj ace dmp out pwd kirbi ccache db sqlite mdb key pem pfx cer crt " +
    "png jpg jpeg gif bmp svg ico html htm php asp aspx ashx asmx jsp config cs vb dmg pkg apk " +
    "msc etl evtx mof aspq bak old sdb lock pid swp"
  ).split(" "),
);

/** Top-level domains that are certainly hosts even though they look like extensions. */
const HOST_TLDS = new Set(
  "com net org info biz edu gov mil int us uk ru cn io top xyz de".split(" "),
);

export interface ColumnHint {
  /** The column compared against (`RemoteUrl`, `SHA256`, `FileName`), if known. */
  column?: string;
}

/** The hash kind a column is named for (`SHA256`, `InitiatingProcessMD5`), if any. */
export function hashTypeOfColumn(
  column: string | undefined,
): "md5" | "sha1" | "sha256" | undefined {
  if (!column) return undefined;
  if (/sha-?256/i.test(column)) return "sha256";
  if (/sha-?1(?!\d)/i.test(column)) return "sha1";
  if (/md5/i.test(column)) return "md5";
  return undefined;
}

function columnHoldsHosts(column: string | undefined): boolean {
  return (
    !!column && /url|domain|host|fqdn|dns|remote|destination|query|uri|site|server/i.test(column)
  );
}

function columnHoldsFiles(column: string | undefined): boolean {
  return !!column && /file|process|image|path|command|module|driver|service/i.test(column);
}

const HEX = /^[0-9a-f]+$/i;
const IPV4_SHAPE = /^\d{1,3}(\.\d{1,3}){3}$/;
const LABEL = "[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?";
const HOST_RE = new RegExp(
  `^(?:${LABEL}\\.)+(?:[a-z][a-z0-9-]{1,62}|xn--[a-z0-9-]{1,59})\\.?$`,
  "i",
);
const URL_RE = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\s]*)([^\s]*)$/i;
const SCHEMELESS_URL_RE = /^([^/?#:\s@]+)(:\d{1,5})?([/?#][^\s]*)$/;
const EMAIL_RE = /^([^@\s"<>()[\],;:]+)@([^@\s]+)$/;
const WINDOWS_PATH_RE =
  /^(?:[a-z]:|%[a-z_]+%)?\\(?:[^\\/:*?"<>|\r\n]+\\)*[^\\/:*?"<>|\s][^\\/:*?"<>|\r\n]*\.[a-z0-9]{1,6}$/i;
const FILE_RE = /^[^\\/:*?"<>|\s][^\\/:*?"<>|]*\.([a-z0-9]{0,5}[a-z][a-z0-9]{0,5})$/i;

export function isHostName(value: string): boolean {
  return value.length <= 254 && HOST_RE.test(value);
}

/** True when an IPv6 candidate has the shape of one (so a MAC or a time of day is not one). */
function looksLikeIpv6(value: string): boolean {
  if (!/^[0-9a-f:.]+$/i.test(value)) return false;
  const colons = value.split(":").length - 1;
  if (colons < 2) return false;
  return (
    value.includes("::") || colons === 7 || (colons === 6 && /\d+\.\d+\.\d+\.\d+$/.test(value))
  );
}

/** The kind of an (already refanged) value. */
export function classify(value: string, hint: ColumnHint = {}): IndicatorType {
  if (value.length === 0 || value.length > 2048) return "other";
  if (HEX.test(value)) {
    if (value.length === 32) return "md5";
    if (value.length === 40) return "sha1";
    if (value.length === 64) return "sha256";
  }
  if (IPV4_SHAPE.test(value)) return "ipv4";
  const slash = value.indexOf("/");
  if (slash > 0 && /^\d{1,3}$/.test(value.slice(slash + 1))) {
    const address = value.slice(0, slash);
    if (IPV4_SHAPE.test(address) || looksLikeIpv6(address)) return "cidr";
  }
  if (looksLikeIpv6(value)) return "ipv6";
  const url = URL_RE.exec(value);
  if (url) return /^(https?|ftp|ftps|wss?|tcp|udp|smb|file)$/i.test(url[1]) ? "url" : "other";
  const email = EMAIL_RE.exec(value);
  if (email && isHostName(email[2])) return "email";
  if (isHostName(value)) {
    const tld = value.replace(/\.$/, "").split(".").pop()?.toLowerCase() ?? "";
    if (columnHoldsHosts(hint.column)) return "domain";
    if (columnHoldsFiles(hint.column) && !value.endsWith(".")) return "file-name";
    if (FILE_EXTENSIONS.has(tld) && !HOST_TLDS.has(tld)) return "file-name";
    return "domain";
  }
  // `evil.com/gate.php` is a URL without its scheme only where URLs are expected: elsewhere
  // the same shape is an Azure operation (`microsoft.compute/snapshots/write`).
  const schemeless = SCHEMELESS_URL_RE.exec(value);
  if (schemeless && columnHoldsHosts(hint.column) && isHostName(schemeless[1])) return "url";
  if (FILE_RE.test(value) || WINDOWS_PATH_RE.test(value)) return "file-name";
  return "other";
}

/** Why an IPv4-, IPv6- or CIDR-shaped value cannot be an address, if it cannot. */
export function ipProblem(value: string, type: IndicatorType): string | undefined {
  if (type === "ipv4") return ipv4Problem(value);
  if (type === "ipv6") {
    return isIPv6(value) ? undefined : "is not a valid IPv6 address";
  }
  if (type === "cidr") {
    const [address, prefix] = value.split("/");
    const v4 = IPV4_SHAPE.test(address);
    const problem = v4
      ? ipv4Problem(address)
      : isIPv6(address)
        ? undefined
        : "is not a valid IPv6 address";
    if (problem) return problem;
    const max = v4 ? 32 : 128;
    if (Number(prefix) > max) return `has a prefix length over ${max}`;
  }
  return undefined;
}

function ipv4Problem(value: string): string | undefined {
  const octets = value.split(".");
  const big = octets.find((o) => Number(o) > 255);
  if (big) return `has the octet ${big}, over 255`;
  if (octets.some((o) => o.length > 1 && o.startsWith("0"))) {
    return "has an octet with a leading zero, which telemetry never writes";
  }
  return undefined;
}
