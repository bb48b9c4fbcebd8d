// A fake Azure Resource Manager for one Sentinel workspace, over HTTPS on 127.0.0.1 with a
// self-signed certificate made by openssl. It speaks the REST contract the SDKs use: paths,
// the api-version each SDK sends (asserted: a wrong one is a 400), bodies under `properties`,
// etags, 200/201, 404 for unknown resources, `value`/`nextLink` paging of Sentinel lists, and
// bearer-token auth. Faults can be injected: 429 with Retry-After, 5xx, slow answers, reset
// connections. Shared by the deploy tests and the GitHub Actions tests.

import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as https from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export const API_VERSIONS = {
  savedSearches: "2025-07-01",
  securityInsights: "2022-09-01-preview",
} as const;

export type ResourceType = "savedSearches" | "alertRules" | "metadata";

export interface StoredResource {
  id: string;
  name: string;
  type: string;
  etag: string;
  kind?: string;
  properties: Record<string, unknown>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  apiVersion: string | null;
  resourceType?: ResourceType;
  name?: string;
  body?: unknown;
  status: number;
  authorization?: string;
}

export interface Fault {
  method?: string;
  /** Matches when the request path (without the query) contains this text or matches it. */
  path?: string | RegExp;
  /** Answer with this status instead of handling the request. */
  status?: number;
  /** Seconds, sent as Retry-After with a 429 or 503 (default 1). */
  retryAfter?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Destroy the connection instead of answering. */
  reset?: boolean;
  /** Put the request's Authorization header in the error message (a leaky server). */
  echoAuthorization?: boolean;
  /** Runs when the fault matches, before the request is handled (a concurrent portal edit). */
  before?: () => void;
  /** How many matching requests this fault affects (default 1; Infinity for all). */
  times?: number;
}

export interface ArmServerOptions {
  subscriptionId: string;
  resourceGroup: string;
  workspace: string;
  /** The bearer token the server accepts. */
  token: string;
  /** Items per page of Sentinel list answers (default 2, so paging is always exercised). */
  pageSize?: number;
}

export interface ArmServer {
  /** https://127.0.0.1:PORT */
  url: string;
  /** Path of the PEM certificate to trust (tlsOptions ca / caFile). */
  caFile: string;
  requests: RecordedRequest[];
  /** PUT and DELETE requests that succeeded. */
  writes(): RecordedRequest[];
  /** The most PUT/DELETE requests that were in progress at the same time. */
  maxWritesInFlight(): number;
  resources(type: ResourceType): StoredResource[];
  get(type: ResourceType, name: string): StoredResource | undefined;
  /** Creates or replaces a resource directly (a portal edit, a foreign item). */
  put(
    type: ResourceType,
    name: string,
    properties: Record<string, unknown>,
    kind?: string,
  ): StoredResource;
  inject(fault: Fault): void;
  clearFaults(): void;
  reset(): void;
  close(): Promise<void>;
}

/** Makes a self-signed certificate for 127.0.0.1 in `dir` with openssl. */
export function makeCertificate(dir: string): { key: string; cert: string; certFile: string } {
  const keyFile = path.join(dir, "key.pem");
  const certFile = path.join(dir, "cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-keyout",
      keyFile,
      "-out",
      certFile,
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
    ],
    { stdio: "ignore" },
  );
  return {
    key: fs.readFileSync(keyFile, "utf8"),
    cert: fs.readFileSync(certFile, "utf8"),
    certFile,
  };
}

const ISO_DURATION = /^P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

const TYPE_NAMES: Record<ResourceType, string> = {
  savedSearches: "Microsoft.OperationalInsights/workspaces/savedSearches",
  alertRules: "Microsoft.SecurityInsights/alertRules",
  metadata: "Microsoft.SecurityInsights/metadata",
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startArmServer(options: ArmServerOptions): Promise<ArmServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "arm-server-"));
  const { key, cert, certFile } = makeCertificate(dir);
  const pageSize = options.pageSize ?? 2;
  const store = new Map<string, StoredResource>();
  const requests: RecordedRequest[] = [];
  let faults: Fault[] = [];
  const sockets = new Set<import("node:stream").Duplex>();
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;
  let writesInFlight = 0;
  let maxWritesInFlight = 0;

  const storeKey = (type: ResourceType, name: string) => `${type}/${name.toLowerCase()}`;
  const workspacePath = `/subscriptions/${options.subscriptionId}/resourceGroups/${options.resourceGroup}/providers/Microsoft.OperationalInsights/workspaces/${options.workspace}`;
  const idOf = (type: ResourceType, name: string) =>
    type === "savedSearches"
      ? `${workspacePath}/savedSearches/${name}`
      : `${workspacePath}/providers/Microsoft.SecurityInsights/${type}/${name}`;
  const newEtag = (type: ResourceType) =>
    type === "savedSearches"
      ? `W/"datetime'${new Date().toISOString()}-${randomUUID()}'"`
      : `"${randomUUID()}"`;

  const putResource = (
    type: ResourceType,
    name: string,
    properties: Record<string, unknown>,
    kind?: string,
  ): StoredResource => {
    const existing = store.get(storeKey(type, name));
    const r: StoredResource = {
      id: existing?.id ?? idOf(type, name),
      name: existing?.name ?? name,
      type: TYPE_NAMES[type],
      etag: newEtag(type),
      ...(kind ? { kind } : {}),
      properties,
    };
    store.set(storeKey(type, name), r);
    return r;
  };

  const wire = (r: StoredResource) => ({
    id: r.id,
    name: r.name,
    type: r.type,
    etag: r.etag,
    ...(r.kind ? { kind: r.kind } : {}),
    properties: r.properties,
  });

  function route(pathname: string): { type: ResourceType; name?: string } {
    const m =
      /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)\/(?:(savedSearches)|providers\/Microsoft\.SecurityInsights\/(alertRules|metadata))(?:\/([^/]+))?$/i.exec(
        pathname,
      );
    if (!m) throw new HttpError(404, "InvalidResourceType", `No route for '${pathname}'`);
    const [, sub, rg, ws] = m;
    if (sub.toLowerCase() !== options.subscriptionId.toLowerCase()) {
      throw new HttpError(
        404,
        "SubscriptionNotFound",
        `The subscription '${sub}' could not be found.`,
      );
    }
    if (rg.toLowerCase() !== options.resourceGroup.toLowerCase()) {
      throw new HttpError(
        404,
        "ResourceGroupNotFound",
        `Resource group '${rg}' could not be found.`,
      );
    }
    if (ws.toLowerCase() !== options.workspace.toLowerCase()) {
      throw new HttpError(
        404,
        "ResourceNotFound",
        `The Resource 'Microsoft.OperationalInsights/workspaces/${ws}' under resource group '${rg}' was not found.`,
      );
    }
    const type = (m[4] ? "savedSearches" : m[5]) as string;
    const canonicalType = (["savedSearches", "alertRules", "metadata"] as ResourceType[]).find(
      (t) => t.toLowerCase() === type.toLowerCase(),
    )!;
    return { type: canonicalType, name: m[6] ? decodeURIComponent(m[6]) : undefined };
  }

  function requireProps(props: Record<string, unknown>, names: string[]) {
    for (const n of names) {
      if (props[n] === undefined || props[n] === null) {
        throw new HttpError(400, "BadRequest", `The property 'properties.${n}' is required.`);
      }
    }
  }

  function handlePut(
    type: ResourceType,
    name: string,
    body: unknown,
  ): { status: number; body: unknown } {
    if (!body || typeof body !== "object")
      throw new HttpError(400, "BadRequest", "The request body is not JSON.");
    const b = body as { etag?: string; kind?: string; properties?: Record<string, unknown> };
    const props = b.properties;
    if (!props || typeof props !== "object") {
      throw new HttpError(400, "BadRequest", "The request body must have 'properties'.");
    }
    const existing = store.get(storeKey(type, name));
    if (type === "savedSearches") {
      requireProps(props, ["category", "displayName", "query"]);
      if (existing && !b.etag) {
        throw new HttpError(
          409,
          "Conflict",
          "A saved search with this id already exists. To override it, specify its etag or '*'.",
        );
      }
      if (existing && b.etag !== "*" && b.etag !== existing.etag) {
        throw new HttpError(
          412,
          "PreconditionFailed",
          "The etag does not match the saved search's.",
        );
      }
      return { status: 200, body: wire(putResource(type, name, props)) };
    }
    if (existing && b.etag && b.etag !== "*" && b.etag !== existing.etag) {
      throw new HttpError(409, "Conflict", "The etag does not match the resource's.");
    }
    if (type === "alertRules") {
      if (!b.kind) throw new HttpError(400, "BadRequest", "The alert rule kind is required.");
      if (existing && existing.kind !== b.kind) {
        throw new HttpError(
          400,
          "BadRequest",
          `The alert rule kind cannot be changed from ${existing.kind} to ${b.kind}.`,
        );
      }
      const common = [
        "displayName",
        "enabled",
        "query",
        "severity",
        "suppressionDuration",
        "suppressionEnabled",
      ];
      requireProps(
        props,
        b.kind === "Scheduled"
          ? [...common, "queryFrequency", "queryPeriod", "triggerOperator", "triggerThreshold"]
          : common,
      );
      for (const d of ["queryFrequency", "queryPeriod", "suppressionDuration"]) {
        if (props[d] !== undefined && !ISO_DURATION.test(String(props[d]))) {
          throw new HttpError(
            400,
            "BadRequest",
            `The value '${String(props[d])}' of ${d} is not a valid ISO 8601 duration.`,
          );
        }
      }
      const stored = putResource(
        type,
        name,
        { ...props, lastModifiedUtc: new Date().toISOString() },
        b.kind,
      );
      return { status: existing ? 200 : 201, body: wire(stored) };
    }
    requireProps(props, ["kind", "parentId"]);
    return { status: existing ? 200 : 201, body: wire(putResource(type, name, props)) };
  }

  function handle(method: string, url: URL, body: unknown): { status: number; body?: unknown } {
    const { type, name } = route(url.pathname);
    const wanted =
      type === "savedSearches" ? API_VERSIONS.savedSearches : API_VERSIONS.securityInsights;
    const apiVersion = url.searchParams.get("api-version");
    if (!apiVersion)
      throw new HttpError(
        400,
        "MissingApiVersionParameter",
        "The api-version query parameter (?api-version=) is required for all requests.",
      );
    if (apiVersion !== wanted) {
      throw new HttpError(
        400,
        "InvalidApiVersionParameter",
        `The api-version '${apiVersion}' is invalid. The supported versions are '${wanted}'.`,
      );
    }
    if (!name) {
      if (method !== "GET")
        throw new HttpError(405, "MethodNotAllowed", `${method} is not allowed on a collection.`);
      const all = [...store.values()]
        .filter((r) => r.type === TYPE_NAMES[type])
        .sort((a, b) => a.name.localeCompare(b.name));
      if (type === "savedSearches") return { status: 200, body: { value: all.map(wire) } };
      const skip = Number(url.searchParams.get("$skipToken") ?? 0);
      const page = all.slice(skip, skip + pageSize);
      const next = skip + pageSize < all.length ? new URL(url.toString()) : undefined;
      next?.searchParams.set("$skipToken", String(skip + pageSize));
      return {
        status: 200,
        body: { value: page.map(wire), ...(next ? { nextLink: next.toString() } : {}) },
      };
    }
    const existing = store.get(storeKey(type, name));
    switch (method) {
      case "GET":
        if (!existing)
          throw new HttpError(404, "NotFound", `The ${type} resource '${name}' was not found.`);
        return { status: 200, body: wire(existing) };
      case "PUT":
        return handlePut(type, name, body);
      case "DELETE":
        store.delete(storeKey(type, name));
        return { status: existing || type === "savedSearches" ? 200 : 204 };
      default:
        throw new HttpError(405, "MethodNotAllowed", `${method} is not allowed.`);
    }
  }

  const sendJson = (
    res: ServerResponse,
    status: number,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const text = body === undefined ? "" : JSON.stringify(body);
    res.writeHead(status, {
      ...(body === undefined ? {} : { "content-type": "application/json; charset=utf-8" }),
      "content-length": String(Buffer.byteLength(text)),
      "x-ms-request-id": randomUUID(),
      ...headers,
    });
    res.end(text);
  };

  async function onRequest(req: IncomingMessage, res: ServerResponse) {
    const isWrite = req.method === "PUT" || req.method === "DELETE";
    if (isWrite) {
      writesInFlight++;
      maxWritesInFlight = Math.max(maxWritesInFlight, writesInFlight);
      res.on("close", () => writesInFlight--);
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", `https://${req.headers.host ?? "127.0.0.1"}`);
    const method = req.method ?? "GET";
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      apiVersion: url.searchParams.get("api-version"),
      status: 0,
      authorization: req.headers.authorization,
    };
    try {
      const r = route(url.pathname);
      record.resourceType = r.type;
      record.name = r.name;
    } catch {
      // recorded without a type; answered below
    }
    requests.push(record);
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    record.body = body;

    const fault = faults.find(
      (f) =>
        (f.times ?? 1) > 0 &&
        (!f.method || f.method === method) &&
        (!f.path ||
          (typeof f.path === "string" ? url.pathname.includes(f.path) : f.path.test(url.pathname))),
    );
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      fault.before?.();
      if (fault.delayMs) {
        const ms = fault.delayMs;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, ms);
          timers.add(timer);
        });
        if (closing) return;
      }
      if (fault.reset) {
        record.status = -1;
        req.socket.resetAndDestroy();
        return;
      }
      if (fault.status) {
        record.status = fault.status;
        const message = fault.echoAuthorization
          ? `Token rejected: ${req.headers.authorization ?? ""}`
          : `Injected failure ${fault.status}`;
        const code =
          fault.status === 429
            ? "TooManyRequests"
            : fault.status >= 500
              ? "InternalServerError"
              : "BadRequest";
        const headers: Record<string, string> =
          fault.status === 429 || fault.status === 503
            ? { "retry-after": String(fault.retryAfter ?? 1) }
            : {};
        sendJson(res, fault.status, { error: { code, message } }, headers);
        return;
      }
    }

    if (req.headers.authorization !== `Bearer ${options.token}`) {
      record.status = 401;
      sendJson(res, 401, {
        error: {
          code: "AuthenticationFailed",
          message: "Authentication failed. The 'Authorization' header is missing or invalid.",
        },
      });
      return;
    }
    try {
      const out = handle(method, url, body);
      record.status = out.status;
      sendJson(res, out.status, out.body);
    } catch (err) {
      const e =
        err instanceof HttpError ? err : new HttpError(500, "InternalServerError", String(err));
      record.status = e.status;
      sendJson(res, e.status, { error: { code: e.code, message: e.message } });
    }
  }

  const server = https.createServer({ key, cert }, (req, res) => {
    onRequest(req, res).catch((err) => {
      if (!res.headersSent)
        sendJson(res, 500, { error: { code: "InternalServerError", message: String(err) } });
    });
  });
  // Raw TCP sockets, so close() also ends connections whose TLS handshake failed.
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `https://127.0.0.1:${port}`,
    caFile: certFile,
    requests,
    writes: () =>
      requests.filter(
        (r) => (r.method === "PUT" || r.method === "DELETE") && r.status >= 200 && r.status < 300,
      ),
    maxWritesInFlight: () => maxWritesInFlight,
    resources: (type) => [...store.values()].filter((r) => r.type === TYPE_NAMES[type]),
    get: (type, name) => store.get(storeKey(type, name)),
    put: putResource,
    inject: (fault) => faults.push({ ...fault }),
    clearFaults: () => {
      faults = [];
    },
    reset: () => {
      requests.length = 0;
      faults = [];
      maxWritesInFlight = 0;
    },
    close: async () => {
      closing = true;
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
