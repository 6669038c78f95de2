import { ApiProblem, createApiClient, unwrap, type Schema } from "@incentives/api-client";
import i18n from "./i18n";

export { ApiProblem, unwrap, type Schema };

/**
 * The portal's one client of the public API: same origin as the page (the gateway serves both), the session cookie
 * on every call, the XSRF header on every write (the client does both), and the person's chosen language on every
 * call, so problem details, hold reasons and next actions come back in it.
 */
export const api = createApiClient({ baseUrl: "", credentials: "same-origin" });

api.use({
  onRequest({ request }) {
    request.headers.set("Accept-Language", i18n.language);
    return request;
  },
});

/** A 401 means there is no session (never signed in, expired or signed out): the portal shows its sign-in page. */
export function isSignedOut(error: unknown): boolean {
  return error instanceof ApiProblem && error.status === 401;
}

/**
 * Saves what an operation answers as CSV (`Accept: text/csv`: the same resource as its JSON, every row) under the
 * file name; fetched here because a link cannot send Accept. The refusal, if the API refused, to show as any other.
 */
export async function downloadCsv(url: string, fileName: string): Promise<ApiProblem | undefined> {
  const response = await fetch(url, {
    headers: { Accept: "text/csv", "Accept-Language": i18n.language },
    credentials: "same-origin",
  });
  if (!response.ok) {
    return ApiProblem.fromResponse(response);
  }
  const file = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = file;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(file), 10_000);
  return undefined;
}
