import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiProblem, createApiClient, readCookie, unwrap, XSRF_HEADER } from "../src/index.js";

/** A fake gateway: records each request and answers with the given response. */
function fakeFetch(answer: (request: Request) => Response) {
  const requests: Request[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    requests.push(request);
    return answer(request);
  };
  return { fetch, requests };
}

/** The ApiProblem a call rejects with (fails the test when the call succeeds). */
async function refusal(call: Promise<unknown>): Promise<ApiProblem> {
  const outcome = await call.then(
    () => new Error("expected the call to be refused"),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(ApiProblem);
  return outcome as ApiProblem;
}

const json = (status: number, body: unknown, contentType = "application/json") =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": contentType } });

const ORG = "6f1c2b8e-7d0a-4c55-9a51-0c1f3f7f1a2b";
const location = { partnerId: "4200042", name: "Fabrikam Berlin", country: "DE", partnerType: "INDIRECT_RESELLER" } as const;

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the XSRF header", () => {
  it("carries the XSRF-TOKEN cookie on writes, and the session cookies go with every call", async () => {
    vi.stubGlobal("document", { cookie: "q_session=opaque; XSRF-TOKEN=tok%2Fen%3D%3D; other=1" });
    const gateway = fakeFetch(() => json(201, { ...location, organizationId: ORG, createdAt: "2026-01-01T00:00:00Z" }));
    const api = createApiClient({ baseUrl: "https://gateway.test", fetch: gateway.fetch });

    const added = await unwrap(
      api.POST("/api/v1/organizations/{orgId}/locations", { params: { path: { orgId: ORG } }, body: location }),
    );

    expect(added.partnerId).toBe("4200042");
    const request = gateway.requests[0]!;
    expect(request.url).toBe(`https://gateway.test/api/v1/organizations/${ORG}/locations`);
    expect(request.method).toBe("POST");
    expect(request.headers.get(XSRF_HEADER)).toBe("tok/en==");
    expect(request.credentials).toBe("include");
    expect(await request.json()).toEqual(location);
  });

  it("is not sent on reads", async () => {
    vi.stubGlobal("document", { cookie: "XSRF-TOKEN=abc" });
    const gateway = fakeFetch(() => json(200, { items: [], page: 0, size: 20, totalItems: 0, totalPages: 0 }));
    const api = createApiClient({ fetch: gateway.fetch, baseUrl: "https://gateway.test" });

    await api.GET("/api/v1/organizations/{orgId}/invitations", { params: { path: { orgId: ORG }, query: { size: 5 } } });

    expect(gateway.requests[0]!.url).toBe(`https://gateway.test/api/v1/organizations/${ORG}/invitations?size=5`);
    expect(gateway.requests[0]!.headers.has(XSRF_HEADER)).toBe(false);
  });

  it("is sent on PUT and DELETE from a supplied token, and not at all when turned off", async () => {
    const gateway = fakeFetch(() => new Response(null, { status: 204 }));
    const withToken = createApiClient({ fetch: gateway.fetch, baseUrl: "https://gateway.test", xsrf: () => "t0k" });
    await withToken.PUT("/api/v1/locations/{partnerId}/first-transaction", {
      params: { path: { partnerId: "4200042" } },
      body: { date: "2026-02-01" },
    });
    await withToken.DELETE("/api/v1/organizations/{orgId}/users/{userId}", {
      params: { path: { orgId: ORG, userId: ORG } },
    });
    const bearer = createApiClient({
      fetch: gateway.fetch,
      baseUrl: "https://gateway.test",
      xsrf: false,
      headers: { Authorization: "Bearer jwt" },
    });
    await bearer.POST("/api/v1/invitations/{invitationId}/accept", { params: { path: { invitationId: ORG } } });

    expect(gateway.requests.map((r) => r.headers.get(XSRF_HEADER))).toEqual(["t0k", "t0k", null]);
    expect(gateway.requests[2]!.headers.get("Authorization")).toBe("Bearer jwt");
  });

  it("is not invented when there is no cookie", async () => {
    vi.stubGlobal("document", { cookie: "q_session=opaque" });
    const gateway = fakeFetch(() => json(200, {}));
    await createApiClient({ fetch: gateway.fetch, baseUrl: "https://gateway.test" }).POST(
      "/api/v1/invitations/{invitationId}/accept",
      { params: { path: { invitationId: ORG } } },
    );
    expect(gateway.requests[0]!.headers.has(XSRF_HEADER)).toBe(false);
  });
});

describe("refusals", () => {
  it("become an ApiProblem with its fields' messages, by field", async () => {
    const problem = {
      type: "/problems/validation-failed",
      title: "Validation failed",
      status: 400,
      detail: "2 fields are invalid: partnerId, country",
      instance: `/api/v1/organizations/${ORG}/locations`,
      correlationId: "cid-1",
      errors: [
        { field: "partnerId", code: "Pattern", message: "must be digits only (the MPN ID), at most 12" },
        { field: "country", code: "Pattern", message: "must be an ISO 3166-1 alpha-2 country code" },
        { field: "country", code: "NotBlank", message: "must not be blank" },
      ],
    };
    const gateway = fakeFetch(() => json(400, problem, "application/problem+json"));
    const api = createApiClient({ fetch: gateway.fetch, baseUrl: "https://gateway.test", xsrf: false });

    const p = await refusal(
      api.POST("/api/v1/organizations/{orgId}/locations", {
        params: { path: { orgId: ORG } },
        body: { ...location, partnerId: "MPN-1", country: "Germany" },
      }),
    );

    expect(p.status).toBe(400);
    expect(p.type).toBe("/problems/validation-failed");
    expect(p.title).toBe("Validation failed");
    expect(p.detail).toBe("2 fields are invalid: partnerId, country");
    expect(p.message).toBe(p.detail);
    expect(p.correlationId).toBe("cid-1");
    expect(p.errors).toHaveLength(3);
    expect(p.fieldErrors).toEqual({
      partnerId: ["must be digits only (the MPN ID), at most 12"],
      country: ["must be an ISO 3166-1 alpha-2 country code", "must not be blank"],
    });
    expect(p.messagesFor("name")).toEqual([]);
  });

  it("keep the problem's own members and the answer's headers", async () => {
    const gateway = fakeFetch(
      () =>
        new Response(
          JSON.stringify({ type: "/problems/conflict", title: "Conflict", status: 409, email: "pat@fabrikam.example" }),
          { status: 409, headers: { "Content-Type": "application/problem+json", "X-Correlation-Id": "cid-2" } },
        ),
    );
    const api = createApiClient({ fetch: gateway.fetch, baseUrl: "https://gateway.test", xsrf: false });

    const refused = await refusal(
      unwrap(
        api.POST("/api/v1/organizations", {
          body: { name: "Fabrikam", primaryContact: { email: "pat@fabrikam.example", firstName: "Pat", lastName: "Lee" } },
        }),
      ),
    );

    expect(refused.type).toBe("/problems/conflict");
    expect(refused.problem["email"]).toBe("pat@fabrikam.example");
    expect(refused.correlationId).toBe("cid-2");
    expect(refused.errors).toEqual([]);
  });

  it("that are not problem documents still reject with the status (a proxy's page, a 429's Retry-After)", async () => {
    const gateway = fakeFetch((request) =>
      request.url.endsWith("/me")
        ? new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway", headers: { "Content-Type": "text/html" } })
        : new Response(JSON.stringify({ type: "/problems/too-many-requests", title: "Too many requests", status: 429 }), {
            status: 429,
            headers: { "Content-Type": "application/problem+json", "Retry-After": "3" },
          }),
    );
    const api = createApiClient({ fetch: gateway.fetch, baseUrl: "https://gateway.test" });

    const badGateway = await refusal(api.GET("/api/v1/me"));
    const tooMany = await refusal(api.GET("/api/v1/programs"));

    expect([badGateway.status, badGateway.type, badGateway.title]).toEqual([502, "about:blank", "Bad Gateway"]);
    expect([tooMany.status, tooMany.type, tooMany.retryAfterSeconds]).toEqual([429, "/problems/too-many-requests", 3]);
  });
});

describe("readCookie", () => {
  it("finds a cookie by its exact name", () => {
    expect(readCookie("XSRF-TOKEN", "A-XSRF-TOKEN=no; XSRF-TOKEN=yes")).toBe("yes");
    expect(readCookie("XSRF-TOKEN", "")).toBeUndefined();
    expect(readCookie("XSRF-TOKEN", "XSRF-TOKEN=%E0%A4%A")).toBe("%E0%A4%A");
  });
});
