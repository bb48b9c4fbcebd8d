// The only module that talks to Azure Resource Manager: builds the two SDK clients for a
// target (endpoint, token scope, credential, CA, retry options) and wraps the handful of
// operations deploy needs. Errors leave this module as plain messages with any token removed.

import * as fs from "node:fs";
import * as tls from "node:tls";
import type { TokenCredential } from "@azure/core-auth";
import type { SavedSearch } from "@azure/arm-operationalinsights";
import type { AlertRuleUnion, MetadataModel } from "@azure/arm-securityinsight";
import { CLOUDS, Target } from "./targets";
import type { JsonObject, RemoteAlertRule, RemoteMetadata, RemoteSavedSearch } from "./convert";

export interface ArmSettings {
  /** Retries of throttled (429), transient (5xx) and reset requests; the SDK default is 3. */
  maxRetries: number;
  /** First backoff delay; doubles each retry up to maxRetryDelayMs. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
  /**
   * Time allowed for one operation, retries included; one that takes longer fails its rule,
   * not the run.
   */
  timeoutMs: number;
}

/**
 * Retry settings: the SDK pipeline's defaults, overridable through the environment so tests
 * (and impatient operators) can make backoff short.
 */
export function armSettings(env: NodeJS.ProcessEnv): ArmSettings {
  const num = (name: string, fallback: number) => {
    const v = env[name];
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : fallback;
  };
  return {
    maxRetries: num("SENTINEL_DAC_MAX_RETRIES", 3),
    retryDelayMs: num("SENTINEL_DAC_RETRY_DELAY_MS", 800),
    maxRetryDelayMs: num("SENTINEL_DAC_MAX_RETRY_DELAY_MS", 60_000),
    timeoutMs: num("SENTINEL_DAC_TIMEOUT_MS", 300_000),
  };
}

/** What the workspace holds that deploy cares about. */
export interface WorkspaceApi {
  listSavedSearches(): Promise<RemoteSavedSearch[]>;
  listAlertRules(): Promise<RemoteAlertRule[]>;
  listMetadata(): Promise<RemoteMetadata[]>;
  putSavedSearch(name: string, body: JsonObject, etag?: string): Promise<void>;
  putAlertRule(name: string, body: JsonObject, etag?: string): Promise<void>;
  putMetadata(name: string, body: JsonObject): Promise<void>;
  deleteSavedSearch(name: string): Promise<void>;
  deleteAlertRule(name: string): Promise<void>;
  deleteMetadata(name: string): Promise<void>;
}

/**
 * The credential: a fixed bearer token from SENTINEL_DAC_ACCESS_TOKEN when set (air-gapped
 * runners, tests), else DefaultAzureCredential (in GitHub Actions after azure/login with OIDC
 * it resolves to the Azure CLI credential).
 */
export async function credentialFor(
  target: Target,
  env: NodeJS.ProcessEnv,
): Promise<TokenCredential> {
  const token = env.SENTINEL_DAC_ACCESS_TOKEN;
  if (token) {
    return {
      getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 }),
    };
  }
  const { DefaultAzureCredential } = await import("@azure/identity");
  return new DefaultAzureCredential({ authorityHost: CLOUDS[target.cloud].authorityHost });
}

/** Secrets that must never be printed: the access token, however it reached an error. */
export function redactor(env: NodeJS.ProcessEnv): (text: string) => string {
  const token = env.SENTINEL_DAC_ACCESS_TOKEN;
  return (text: string) => {
    let out = text;
    if (token) out = out.split(token).join("***");
    return out
      .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, "$1***")
      .replace(/\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, "***");
  };
}

/** A service error in plain words: status, ARM error code and message. */
export function describeArmError(err: unknown, redact: (t: string) => string): string {
  const e = err as {
    statusCode?: number;
    code?: string;
    message?: string;
    details?: { error?: { code?: string; message?: string } };
    name?: string;
  };
  let text: string;
  const detail = e.details?.error;
  if (e.statusCode) {
    const code = detail?.code ?? e.code;
    const message = detail?.message ?? e.message ?? "";
    text = `${e.statusCode}${code ? ` ${code}` : ""}: ${message}`;
    if (e.statusCode === 401 || e.statusCode === 403) {
      text +=
        " (the identity needs Microsoft Sentinel Contributor and Log Analytics Contributor on the workspace)";
    }
  } else if (e.name === "AbortError" || /timed? ?out|aborted/i.test(e.message ?? "")) {
    text = "no answer in time (SENTINEL_DAC_TIMEOUT_MS)";
  } else if (
    e.name === "AggregateAuthenticationError" ||
    e.name === "CredentialUnavailableError" ||
    /CredentialUnavailableError|authentication failed/i.test(e.message ?? "")
  ) {
    // DefaultAzureCredential lists every credential it tried; the useful part is what to do.
    text =
      "no Azure credential is available: run `az login` (locally), use azure/login with OIDC (GitHub Actions), or set SENTINEL_DAC_ACCESS_TOKEN to a bearer token for the Resource Manager endpoint";
  } else {
    text = e.message ?? String(err);
    if (e.code && !text.includes(e.code)) text = `${e.code}: ${text}`;
  }
  return redact(text.replace(/\s+/g, " ").trim());
}

export function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number }).statusCode === 404;
}

/**
 * Builds the clients for a target. The SDKs are loaded only here, on first use. `credential`
 * replaces the one credentialFor() would pick (tests check the scopes asked for).
 */
export async function connect(
  target: Target,
  env: NodeJS.ProcessEnv,
  credentialOverride?: TokenCredential,
): Promise<WorkspaceApi> {
  const [{ OperationalInsightsManagementClient }, { SecurityInsights }] = await Promise.all([
    import("@azure/arm-operationalinsights"),
    import("@azure/arm-securityinsight"),
  ]);
  const settings = armSettings(env);
  const credential = credentialOverride ?? (await credentialFor(target, env));
  const scope = `${target.armEndpoint}/.default`;
  let tlsOptions: { ca: string[] } | undefined;
  if (target.caFile) {
    let pem: string;
    try {
      pem = fs.readFileSync(target.caFile, "utf8");
    } catch (err) {
      throw new Error(
        `cannot read caFile ${target.caFile} (${(err as NodeJS.ErrnoException).code})`,
      );
    }
    // A CA list replaces Node's roots; keep them so the public endpoints still verify.
    tlsOptions = { ca: [...tls.rootCertificates, pem] };
  }
  const common = {
    endpoint: target.armEndpoint,
    retryOptions: {
      maxRetries: settings.maxRetries,
      retryDelayInMs: settings.retryDelayMs,
      maxRetryDelayInMs: settings.maxRetryDelayMs,
    },
    ...(tlsOptions ? { tlsOptions } : {}),
    userAgentOptions: { userAgentPrefix: "sentinel-dac" },
  };
  const logs = new OperationalInsightsManagementClient(credential, target.subscriptionId, {
    ...common,
    credentials: { scopes: [scope] },
  });
  const sentinel = new SecurityInsights(credential, target.subscriptionId, {
    ...common,
    credentialScopes: [scope],
  });
  const rg = target.resourceGroup;
  const ws = target.workspace;
  // Not the SDK's per-request `timeout`: its timer is not cleared when a request fails to
  // connect, which keeps the process alive for the whole timeout after a TLS or DNS error.
  // AbortSignal.timeout's timer does not hold the process open.
  const opts = () => ({ abortSignal: AbortSignal.timeout(settings.timeoutMs) });
  const tolerate404 = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  };

  return {
    async listSavedSearches() {
      const result = await logs.savedSearches.listByWorkspace(rg, ws, opts());
      return (result.value ?? []) as RemoteSavedSearch[];
    },
    async listAlertRules() {
      const out: RemoteAlertRule[] = [];
      for await (const r of sentinel.alertRules.list(rg, ws, opts())) {
        out.push(r as unknown as RemoteAlertRule);
      }
      return out;
    },
    async listMetadata() {
      const out: RemoteMetadata[] = [];
      for await (const m of sentinel.metadata.list(rg, ws, opts())) out.push(m as RemoteMetadata);
      return out;
    },
    async putSavedSearch(name, body, etag) {
      // Log Analytics refuses to overwrite a saved search without its etag.
      const search = { ...body, ...(etag ? { etag } : {}) } as unknown as SavedSearch;
      await logs.savedSearches.createOrUpdate(rg, ws, name, search, opts());
    },
    async putAlertRule(name, body, etag) {
      const rule = { ...body, ...(etag ? { etag } : {}) };
      await sentinel.alertRules.createOrUpdate(
        rg,
        ws,
        name,
        rule as unknown as AlertRuleUnion,
        opts(),
      );
    },
    async putMetadata(name, body) {
      await sentinel.metadata.create(rg, ws, name, body as unknown as MetadataModel, opts());
    },
    deleteSavedSearch: (name) => tolerate404(logs.savedSearches.delete(rg, ws, name, opts())),
    deleteAlertRule: (name) => tolerate404(sentinel.alertRules.delete(rg, ws, name, opts())),
    deleteMetadata: (name) => tolerate404(sentinel.metadata.delete(rg, ws, name, opts())),
  };
}
