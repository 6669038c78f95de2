import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap, type Schema } from "../api";
import FirstItemsOnly, { LIST_SIZE } from "../components/FirstItemsOnly";
import ProblemMessage from "../components/ProblemMessage";
import { date } from "../format";
import { Link } from "react-router";
import { can, isOperator, type Me } from "../session";

type Location = Schema<"IdentityLocation">;
type ProgramEligibility = Schema<"ProgramEligibility">;
type Invitation = Schema<"InvitationView">;
type Enrollment = Schema<"EnrollmentView">;

const ALL = { page: 0, size: LIST_SIZE } as const;

/**
 * The seed's "Manage your incentives": per location and programme, the eligibility checklist with its reasons, the
 * invitation, the enrolment and the one next action to take.
 */
export default function Overview({ me }: { me: Me }) {
  const { t } = useTranslation();
  const orgId = me.organizationId;
  const organization = useQuery({
    queryKey: ["organization", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}", { params: { path: { orgId: orgId! } } })),
    enabled: orgId !== undefined && can(me, "organization:read"),
  });
  const locations = useQuery({
    queryKey: ["locations", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/locations", { params: { path: { orgId: orgId! }, query: ALL } })),
    enabled: orgId !== undefined && can(me, "organization:read"),
  });
  const invitations = useQuery({
    queryKey: ["invitations", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/invitations", { params: { path: { orgId: orgId! }, query: ALL } })),
    enabled: orgId !== undefined && can(me, "incentives:read"),
  });
  const enrollments = useQuery({
    queryKey: ["enrollments", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/enrollments", { params: { path: { orgId: orgId! }, query: ALL } })),
    enabled: orgId !== undefined && can(me, "incentives:read"),
  });
  // An incentive user limited to some locations sees only those (me.locations; empty = every location).
  const visible = (locations.data?.items ?? []).filter(
    (location) => (me.locations ?? []).length === 0 || me.locations!.includes(location.partnerId!),
  );
  const eligibility = useQueries({
    queries: visible.map((location) => ({
      queryKey: ["eligibility", location.partnerId],
      queryFn: () => unwrap(api.GET("/api/v1/locations/{partnerId}/eligibility", {
        params: { path: { partnerId: location.partnerId! } },
      })),
      enabled: can(me, "incentives:read"),
    })),
  });

  if (orgId === undefined) {
    return isOperator(me)
      ? (
        <>
          <h1>{t("nav.overview")}</h1>
          <p><Link to="/operations" data-testid="operations-link">{t("operators.overviewLink")}</Link></p>
        </>
      )
      : <p>{t("overview.noOrganization")}</p>;
  }
  const failed = [organization, locations, invitations, enrollments].find((query) => query.isError);
  return (
    <>
      <h1>{organization.data?.name ?? t("nav.overview")}</h1>
      {failed && <ProblemMessage error={failed.error} />}
      {locations.isPending && <p role="status">{t("common.loading")}</p>}
      {locations.isSuccess && visible.length === 0 && <p>{t("overview.noLocations")}</p>}
      <FirstItemsOnly page={[locations.data, invitations.data, enrollments.data].find((page) => (page?.totalPages ?? 0) > 1)} />
      {visible.map((location, index) => {
        const result = eligibility[index];
        return (
          <section key={location.partnerId} className="card" aria-labelledby={`location-${location.partnerId}`}>
            <h2 id={`location-${location.partnerId}`}>
              {location.name} <span className="muted">{t("overview.partnerId", { id: location.partnerId })} · {location.country}</span>
            </h2>
            {result?.isError && <ProblemMessage error={result.error} />}
            {result?.data?.programs.length === 0 && <p>{t("overview.noPrograms")}</p>}
            {result?.data?.programs.map((program) => (
              <ProgramCard
                key={program.programId}
                me={me}
                location={location}
                program={program}
                invitation={newest(invitations.data?.items?.filter(
                  (item) => item.partnerId === location.partnerId && item.programId === program.programId,
                ), (item) => item.issuedAt)}
                enrollment={current(enrollments.data?.items?.filter(
                  (item) => item.partnerId === location.partnerId && item.programId === program.programId,
                ))}
              />
            ))}
          </section>
        );
      })}
    </>
  );
}

/** The newest of a location's items for a programme (a location may have been invited again). */
function newest<T>(items: T[] | undefined, at: (item: T) => string | undefined): T | undefined {
  return items?.reduce<T | undefined>((best, item) => (best === undefined || (at(item) ?? "") > (at(best) ?? "") ? item : best), undefined);
}

/** The open enrolment of a location in a programme, else its newest closed one (withdrawn or expired). */
function current(items: Enrollment[] | undefined): Enrollment | undefined {
  return items?.find((item) => !CLOSED.includes(item.status!)) ?? newest(items, (item) => item.createdAt);
}

const CLOSED = ["WITHDRAWN", "EXPIRED"];

function ProgramCard({ me, location, program, invitation, enrollment }: {
  me: Me;
  location: Location;
  program: ProgramEligibility;
  invitation: Invitation | undefined;
  enrollment: Enrollment | undefined;
}) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const accept = useMutation({
    mutationFn: (id: string) => unwrap(api.POST("/api/v1/invitations/{invitationId}/accept", {
      params: { path: { invitationId: id } },
    })),
    onSuccess: () => queries.invalidateQueries(),
  });
  // Eligible, and its invitation expired or it withdrew: the admin signs it up again without waiting.
  const signUpAgain = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/locations/{partnerId}/programs/{programId}/enrollments", {
      params: { path: { partnerId: location.partnerId!, programId: program.programId! } },
    })),
    onSuccess: () => queries.invalidateQueries(),
  });
  const headingId = `program-${location.partnerId}-${program.programId}`;
  const unmet = program.criteria?.find((criterion) => !criterion.met);
  // An issued invitation starts an enrolment in INVITED, which signing up (accepting the invitation) moves on.
  const invited = invitation?.status === "ISSUED" && (enrollment === undefined || enrollment.status === "INVITED");
  const firstAction = enrollment?.requiredActions?.[0];
  const closed = enrollment !== undefined && CLOSED.includes(enrollment.status!);
  const lapsed = enrollment === undefined && invitation?.status === "EXPIRED";
  const canEnrolAgain = program.eligible && (closed || lapsed);

  let next: string;
  if (!program.eligible) {
    next = unmet?.reason ?? t("overview.next.notEligible");
  } else if (invited) {
    next = t("overview.next.signUp", { date: date(invitation?.expiresAt, i18n.language) });
  } else if (canEnrolAgain) {
    next = t("overview.next.signUpAgain");
  } else if (firstAction) {
    next = firstAction.detail ?? t(`requiredAction.${firstAction.code}`);
  } else if (enrollment?.status === "ENROLLED") {
    next = t("overview.next.none");
  } else if (enrollment) {
    next = t(`enrollmentStatus.${enrollment.status}`);
  } else {
    next = t("overview.next.awaitInvitation");
  }

  return (
    <article className="program" aria-labelledby={headingId}>
      <h3 id={headingId}>{program.programName ?? program.programId}</h3>
      <p>
        <span className={`badge ${program.eligible ? "ok" : "no"}`}>
          {program.eligible ? t("overview.eligible") : t("overview.notEligible")}
        </span>
        {enrollment && <span className="badge">{t(`enrollmentStatus.${enrollment.status}`)}</span>}
        {invitation && !enrollment && <span className="badge">{t(`invitationStatus.${invitation.status}`)}</span>}
      </p>
      <p className="next-action" data-testid="next-action"><strong>{t("overview.nextAction")}</strong> {next}</p>
      {invited && can(me, "enrollments:manage") && (
        <button type="button" className="primary" disabled={accept.isPending} onClick={() => accept.mutate(invitation!.id!)}>
          {t("overview.signUp")}
        </button>
      )}
      {accept.isError && <ProblemMessage error={accept.error} />}
      {canEnrolAgain && can(me, "enrollments:manage") && (
        <button type="button" className="primary" disabled={signUpAgain.isPending} onClick={() => signUpAgain.mutate()}>
          {t("overview.signUpAgain")}
        </button>
      )}
      {signUpAgain.isError && <ProblemMessage error={signUpAgain.error} />}
      <details>
        <summary>{t("overview.checklist")}</summary>
        <ul className="checklist">
          {program.criteria?.map((criterion) => (
            <li key={criterion.criterion} className={criterion.met ? "met" : "unmet"}>
              <span className="visually-hidden">{criterion.met ? t("overview.met") : t("overview.unmet")}</span>
              <span aria-hidden="true">{criterion.met ? "✓" : "✗"}</span> {criterion.reason ?? criterion.criterion}
            </li>
          ))}
        </ul>
      </details>
      {enrollment?.requiredActions && enrollment.requiredActions.length > 0 && (
        <ul className="actions">
          {enrollment.requiredActions.map((action) => <li key={action.code}>{action.detail ?? t(`requiredAction.${action.code}`)}</li>)}
        </ul>
      )}
    </article>
  );
}
