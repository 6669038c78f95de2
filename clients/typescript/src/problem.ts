import type { components } from "./generated/schema.js";

/** The API's one error body (RFC 9457 `application/problem+json`), as the contract describes it. */
export type Problem = components["schemas"]["Problem"];
/** One invalid input of a `validation-failed` problem: the field's JSON path (or parameter name) and what is wrong. */
export type FieldViolation = components["schemas"]["FieldViolation"];

/**
 * A refused call: every answer that is not a 2xx becomes one (the API answers refusals in `application/problem+json`;
 * anything else, e.g. a proxy's HTML error page, becomes a problem of type `about:blank` with the HTTP status).
 *
 * Switch on `type` (stable: `/problems/validation-failed`, `/problems/conflict`, ...) or `status`; show `detail` to
 * people; put `fieldErrors[field]` next to the form field it names.
 */
export class ApiProblem extends Error {
  override readonly name = "ApiProblem";
  /** The HTTP status of the answer (the problem's `status`, or the response's when the body has none). */
  readonly status: number;
  /** `/problems/<kind>`, or `about:blank` when the answer was not a problem document. */
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  /** The path of the request. */
  readonly instance: string | undefined;
  /** Quote it when reporting the problem: it finds the request in the logs. */
  readonly correlationId: string | undefined;
  /** Each invalid field or parameter, in the order the API listed them. */
  readonly errors: readonly FieldViolation[];
  /** The same, by field: `fieldErrors["primaryContact.email"]` is that field's messages. */
  readonly fieldErrors: Readonly<Record<string, readonly string[]>>;
  /** `Retry-After` of a 429 or 503, in seconds. */
  readonly retryAfterSeconds: number | undefined;
  /** The whole problem document, with any problem-specific members (e.g. `missing`, `email`). */
  readonly problem: Problem;
  readonly response: Response | undefined;

  constructor(problem: Problem, response?: Response) {
    super(problem.detail ?? problem.title);
    this.problem = problem;
    this.response = response;
    this.status = problem.status;
    this.type = problem.type;
    this.title = problem.title;
    this.detail = problem.detail;
    this.instance = problem.instance;
    this.correlationId = problem.correlationId ?? response?.headers.get("X-Correlation-Id") ?? undefined;
    this.errors = problem.errors ?? [];
    const byField: Record<string, string[]> = {};
    for (const violation of this.errors) {
      (byField[violation.field] ??= []).push(violation.message);
    }
    this.fieldErrors = byField;
    const retryAfter = Number.parseInt(response?.headers.get("Retry-After") ?? "", 10);
    this.retryAfterSeconds = Number.isNaN(retryAfter) ? undefined : retryAfter;
  }

  /** The messages for one field (none when the field is valid). */
  messagesFor(field: string): readonly string[] {
    return this.fieldErrors[field] ?? [];
  }

  /** Reads a refused answer's body into a problem (the response is cloned, so its body stays readable). */
  static async fromResponse(response: Response): Promise<ApiProblem> {
    const fallback: Problem = {
      type: "about:blank",
      title: response.statusText || `HTTP ${response.status}`,
      status: response.status,
    };
    const contentType = response.headers.get("Content-Type") ?? "";
    if (!/^application\/(problem\+)?json\b/i.test(contentType)) {
      return new ApiProblem(fallback, response);
    }
    let body: unknown;
    try {
      body = JSON.parse(await response.clone().text());
    } catch {
      return new ApiProblem(fallback, response);
    }
    return new ApiProblem(isProblem(body) ? { ...body, status: body.status ?? response.status } : fallback, response);
  }
}

function isProblem(body: unknown): body is Problem & { status?: number } {
  if (typeof body !== "object" || body === null) {
    return false;
  }
  const candidate = body as Record<string, unknown>;
  return (
    typeof candidate["type"] === "string" &&
    typeof candidate["title"] === "string" &&
    (candidate["status"] === undefined || typeof candidate["status"] === "number") &&
    (candidate["errors"] === undefined ||
      (Array.isArray(candidate["errors"]) &&
        candidate["errors"].every(
          (e: unknown) =>
            typeof e === "object" &&
            e !== null &&
            typeof (e as Record<string, unknown>)["field"] === "string" &&
            typeof (e as Record<string, unknown>)["message"] === "string",
        )))
  );
}
