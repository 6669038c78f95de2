import createClient, { type Client, type Middleware } from "openapi-fetch";
import type { components, operations, paths } from "./generated/schema.js";
import { ApiProblem } from "./problem.js";

export type { components, operations, paths } from "./generated/schema.js";
export { ApiProblem, type FieldViolation, type Problem } from "./problem.js";

/** A schema of the contract by name: `Schema<"RegisterOrganization">`. */
export type Schema<Name extends keyof components["schemas"]> = components["schemas"][Name];

/** The typed client: `api.GET("/api/v1/organizations/{orgId}", { params: { path: { orgId } } })`. */
export type ApiClient = Client<paths>;

export interface ApiClientOptions {
  /** The gateway's origin, e.g. `""` (same origin as the page) or `https://partners.example.com`. */
  baseUrl?: string;
  /**
   * The gateway's CSRF protection for browser sessions: state-changing calls (POST, PUT, PATCH, DELETE) send the
   * `XSRF-TOKEN` cookie's value in the `X-XSRF-TOKEN` header. `true` (default) reads the cookie from `document.cookie`;
   * a function supplies the token (tests, server-side rendering); `false` sends none (bearer-token callers).
   */
  xsrf?: boolean | (() => string | undefined);
  /** Cookies (the gateway's session) go with every call: `include` (default) or `same-origin`. */
  credentials?: RequestCredentials;
  /** Headers sent with every call (e.g. `Authorization` for a system with a bearer token). */
  headers?: Record<string, string>;
  /** A fetch to use instead of `globalThis.fetch` (tests, instrumentation). */
  fetch?: (request: Request) => Promise<Response>;
}

export const XSRF_COOKIE = "XSRF-TOKEN";
export const XSRF_HEADER = "X-XSRF-TOKEN";
const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * A client of the whole API (/api/v1), typed by the contract. Every call sends the session cookies, every write the
 * XSRF header, and every refused call rejects with an {@link ApiProblem}.
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl ?? "",
    credentials: options.credentials ?? "include",
    ...(options.headers ? { headers: options.headers } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const xsrf = options.xsrf ?? true;
  if (xsrf !== false) {
    client.use(xsrfHeader(xsrf === true ? () => readCookie(XSRF_COOKIE) : xsrf));
  }
  client.use(problems);
  return client;
}

/**
 * The data of a successful call, for code that only handles success (refusals already reject with an ApiProblem):
 * `const org = await unwrap(api.POST("/api/v1/organizations", { body }))`.
 */
export async function unwrap<R extends { data?: unknown; error?: unknown; response: Response }>(
  call: Promise<R>,
): Promise<Exclude<R["data"], undefined>> {
  const { data, response } = await call;
  if (!response.ok) {
    throw await ApiProblem.fromResponse(response);
  }
  return data as Exclude<R["data"], undefined>;
}

/** The request body of an operation, by operationId: `RequestBody<"registerOrganization">`. */
export type RequestBody<Op extends keyof operations> = operations[Op] extends {
  requestBody: { content: { "application/json": infer Body } };
}
  ? Body
  : never;

function xsrfHeader(token: () => string | undefined): Middleware {
  return {
    onRequest({ request }) {
      if (!STATE_CHANGING.has(request.method.toUpperCase()) || request.headers.has(XSRF_HEADER)) {
        return undefined;
      }
      const value = token();
      if (value) {
        request.headers.set(XSRF_HEADER, value);
      }
      return request;
    },
  };
}

const problems: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) {
      throw await ApiProblem.fromResponse(response);
    }
    return undefined;
  },
};

/** A cookie's value from `document.cookie` (undefined outside a browser or when absent). */
export function readCookie(name: string, cookies: string | undefined = globalThis.document?.cookie): string | undefined {
  if (!cookies) {
    return undefined;
  }
  for (const pair of cookies.split(";")) {
    const separator = pair.indexOf("=");
    if (separator > 0 && pair.slice(0, separator).trim() === name) {
      const raw = pair.slice(separator + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}
