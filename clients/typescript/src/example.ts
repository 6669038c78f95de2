/**
 * How a front end uses the client, compiled by `npm run typecheck` (not shipped): each function calls a real operation
 * with its real parameters and body, so a change of the contract that breaks such a caller fails the build here.
 */
import { ApiProblem, createApiClient, unwrap, type ApiClient, type RequestBody, type Schema } from "./index.js";

/** In the portal: same origin as the gateway, the session cookie and the XSRF header handled by the client. */
export const api: ApiClient = createApiClient({ baseUrl: "" });

/** An operator registers an organization and its first location (registerOrganization, addLocation). */
export async function registerPartner(
  client: ApiClient,
  organization: RequestBody<"registerOrganization">,
  location: Schema<"AddLocation">,
): Promise<{ organization: Schema<"RegisteredOrganization">; location: Schema<"IdentityLocation"> }> {
  const registered = await unwrap(
    client.POST("/api/v1/organizations", {
      params: { header: { "Idempotency-Key": crypto.randomUUID() } },
      body: organization,
    }),
  );
  // Shown once: the primary contact signs in with it and must change it.
  const temporaryPassword: string | undefined = registered.temporaryPassword;
  void temporaryPassword;
  // RequestBody<op> is the schema the operation takes: a registration is a RegisterOrganization.
  const same: Schema<"RegisterOrganization"> = organization;
  void same;
  const added = await unwrap(
    client.POST("/api/v1/organizations/{orgId}/locations", {
      params: { path: { orgId: registered.id } },
      body: location,
    }),
  );
  return { organization: registered, location: added };
}

/** The partner feed records an agreement of a location (putAgreement). */
export async function recordAgreement(client: ApiClient, partnerId: string, agreementId: string): Promise<boolean> {
  const view = await unwrap(
    client.PUT("/api/v1/locations/{partnerId}/agreements/{agreementId}", {
      params: { path: { partnerId, agreementId } },
      body: { type: "MPN", status: "ACTIVE", validFrom: "2026-01-01" } satisfies Schema<"AgreementInput">,
    }),
  );
  return view.changed;
}

/** A location's eligibility as a checklist per programme (getLocationEligibility). */
export async function eligibilityChecklist(
  client: ApiClient,
  partnerId: string,
): Promise<{ program: string; eligible: boolean; checklist: { criterion: string; met: boolean }[] }[]> {
  const eligibility = await unwrap(
    client.GET("/api/v1/locations/{partnerId}/eligibility", { params: { path: { partnerId } } }),
  );
  const partnerType: Schema<"PartnerType"> = eligibility.partnerType;
  void partnerType;
  return eligibility.programs.map((program) => ({
    program: program.programName,
    eligible: program.eligible,
    checklist: program.criteria.map((c) => ({ criterion: c.criterion ?? "", met: c.met ?? false })),
  }));
}

/** The organization's invitations still to accept (listInvitations), and accepting one (acceptInvitation). */
export async function acceptFirstInvitation(client: ApiClient, orgId: string): Promise<Schema<"EnrollmentStatus"> | undefined> {
  const page = await unwrap(
    client.GET("/api/v1/organizations/{orgId}/invitations", {
      params: { path: { orgId }, query: { page: 0, size: 50 } },
    }),
  );
  const issued = (page.items ?? []).filter((invitation) => invitation.status === "ISSUED");
  const first = issued[0];
  if (!first) {
    return undefined;
  }
  const enrollment = await unwrap(
    client.POST("/api/v1/invitations/{invitationId}/accept", { params: { path: { invitationId: first.id } } }),
  );
  return enrollment.status;
}

/** A form's errors, field by field, from a refused call (what the UI shows next to each input). */
export async function addLocationForm(
  client: ApiClient,
  orgId: string,
  form: Schema<"AddLocation">,
): Promise<{ ok: true } | { ok: false; message: string; fields: Readonly<Record<string, readonly string[]>> }> {
  try {
    await client.POST("/api/v1/organizations/{orgId}/locations", { params: { path: { orgId } }, body: form });
    return { ok: true };
  } catch (error) {
    if (error instanceof ApiProblem) {
      if (error.status === 401) {
        window.location.assign("/login");
      }
      return { ok: false, message: error.detail ?? error.title, fields: error.fieldErrors };
    }
    throw error;
  }
}
