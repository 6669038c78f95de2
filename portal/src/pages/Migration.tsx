import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api, ApiProblem, unwrap } from "../api";
import ProblemMessage from "../components/ProblemMessage";
import { date, dateTime } from "../format";
import { can, type Me } from "../session";

type Missing = Record<string, unknown>;

/** A missing item as the API words it: its localized `detail`, else what it names (kind, email, role). */
function missingText(item: Missing): string {
  if (typeof item.detail === "string" && item.detail.trim() !== "") {
    return item.detail;
  }
  return [item.kind, item.email, item.role].filter((part) => typeof part === "string").join(" · ");
}

/**
 * The organization's migration, as the seed's three steps: sign in with one's own password, set up the incentive
 * users, give them their credentials; then an incentive admin completes it.
 */
export default function Migration({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const reasonId = useId();
  const orgId = me.organizationId;
  const allowed = orgId !== undefined && (can(me, "users:manage") || can(me, "incentives:read"));
  const migration = useQuery({
    queryKey: ["migration", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/migration", { params: { path: { orgId: orgId! } } })),
    enabled: allowed,
    retry: (count, error) => !(error instanceof ApiProblem && error.status < 500) && count < 2,
  });
  const complete = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/organizations/{orgId}/migration/complete", {
      params: { path: { orgId: orgId! } },
    })),
    onSuccess: (view) => {
      queries.setQueryData(["migration", orgId], view);
      // The carried-over enrolments became ENROLLED: the overview and payments read them.
      void queries.invalidateQueries();
    },
  });
  if (!allowed) {
    return <p>{t("common.notForYou")}</p>;
  }
  if (migration.isPending) {
    return (
      <>
        <h1>{t("migration.title")}</h1>
        <p role="status">{t("common.loading")}</p>
      </>
    );
  }
  if (migration.isError) {
    const none = migration.error instanceof ApiProblem && migration.error.status === 404;
    return (
      <>
        <h1>{t("migration.title")}</h1>
        {none ? <p data-testid="migration-none">{t("migration.none")}</p> : <ProblemMessage error={migration.error} />}
      </>
    );
  }
  const view = migration.data;
  const completed = view.status === "COMPLETED";
  const users = view.users ?? [];
  const missing = (view.missing ?? []) as Missing[];
  const setUp = completed || view.status === "USERS_SET_UP" || (users.length > 0 && users.every((user) => user.setUp));
  const credentials = completed || (users.length > 0 && users.every((user) => user.activated));
  const refusal = complete.error instanceof ApiProblem ? complete.error : undefined;
  const refusedMissing = Array.isArray(refusal?.problem.missing) ? (refusal.problem.missing as Missing[]) : [];
  const managesUsers = can(me, "users:manage") || can(me, "incentive-users:manage");
  const steps = [
    { key: "signIn", done: true, label: t("migration.step.signIn"), hint: t("migration.stepHint.signIn") },
    { key: "setUp", done: setUp, label: t("migration.step.setUp"), hint: t("migration.stepHint.setUp") },
    { key: "credentials", done: credentials, label: t("migration.step.credentials"), hint: t("migration.stepHint.credentials") },
  ] as const;

  return (
    <>
      <h1>{t("migration.title")}</h1>
      <dl className="totals" data-testid="migration">
        <div>
          <dt>{t("migration.wave")}</dt>
          <dd>{view.waveName}</dd>
        </div>
        <div>
          <dt>{t("migration.startsAt")}</dt>
          <dd>{date(view.startsAt, i18n.language)}</dd>
        </div>
        <div>
          <dt>{t("migration.statusHeading")}</dt>
          <dd data-testid="migration-status">{t(`migration.status.${view.status}`)}</dd>
        </div>
        {view.completedAt && (
          <div>
            <dt>{t("migration.completedAt")}</dt>
            <dd>{dateTime(view.completedAt, i18n.language)}</dd>
          </div>
        )}
      </dl>

      <h2>{t("migration.stepsHeading")}</h2>
      <ol className="steps">
        {steps.map((step) => (
          <li key={step.key} data-testid={`migration-step-${step.key}`}>
            <strong>{step.label}</strong>{" "}
            <span className={`badge ${step.done ? "ok" : "no"}`}>{step.done ? t("migration.done") : t("migration.pending")}</span>
            <p className="muted">{step.hint}</p>
            {step.key !== "signIn" && !step.done && managesUsers && <Link to="/users">{t("migration.goToUsers")}</Link>}
          </li>
        ))}
      </ol>

      {users.length > 0 && (
        <>
          <h2>{t("migration.usersHeading")}</h2>
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t("migration.usersHeading")}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("users.name")}</th>
                  <th scope="col">{t("users.email")}</th>
                  <th scope="col">{t("users.roles")}</th>
                  <th scope="col">{t("migration.statusHeading")}</th>
                </tr>
              </thead>
              <tbody>
                {users.map((user) => (
                  <tr key={`${user.email}:${user.role}`} data-testid="migration-user">
                    <td>{user.firstName} {user.lastName}</td>
                    <td>{user.email}</td>
                    <td>{t(`users.role.${user.role}`)}</td>
                    <td>
                      <div>{user.setUp ? t("migration.setUp") : t("migration.notSetUp")}</div>
                      <div>{user.activated ? t("migration.signedIn") : t("migration.notSignedIn")}</div>
                      {user.problem && <div className="muted">{user.problem}</div>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      {missing.length > 0 && (
        <>
          <h2>{t("migration.missingHeading")}</h2>
          <ul className="missing" data-testid="migration-missing">
            {missing.map((item, index) => <li key={index}>{missingText(item)}</li>)}
          </ul>
        </>
      )}

      {(view.enrollments ?? []).length > 0 && (
        <>
          <h2>{t("migration.enrollmentsHeading")}</h2>
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t("migration.enrollmentsHeading")}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("migration.location")}</th>
                  <th scope="col">{t("migration.program")}</th>
                  <th scope="col">{t("migration.earningsStart")}</th>
                </tr>
              </thead>
              <tbody>
                {view.enrollments.map((enrollment) => (
                  <tr key={`${enrollment.partnerId}:${enrollment.programId}`}>
                    <td>{enrollment.partnerId}</td>
                    <td>{enrollment.programId}</td>
                    <td>{date(enrollment.earningsStartDate, i18n.language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      {completed && <p role="status" data-testid="migration-completed">{t("migration.completed")}</p>}
      {!completed && can(me, "migration:complete") && (
        <div className="card">
          {complete.isError && <ProblemMessage error={complete.error} />}
          {refusedMissing.length > 0 && (
            <ul className="missing">
              {refusedMissing.map((item, index) => <li key={index}>{missingText(item)}</li>)}
            </ul>
          )}
          <button
            type="button"
            className="primary"
            data-testid="migration-complete"
            disabled={missing.length > 0 || complete.isPending}
            aria-describedby={missing.length > 0 ? reasonId : undefined}
            onClick={() => complete.mutate()}
          >
            {t("migration.complete")}
          </button>
          {missing.length > 0 && <p id={reasonId} className="muted">{t("migration.completeBlocked")}</p>}
        </div>
      )}
    </>
  );
}
