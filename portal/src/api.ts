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
