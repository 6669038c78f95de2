import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { api, downloadCsv, unwrap, type Schema } from "../api";
import Pager from "../components/Pager";
import ProblemMessage from "../components/ProblemMessage";
import { dateTime } from "../format";
import { can, type Me } from "../session";

const PAGE_SIZE = 50;
const ACTIONS = [
  "ORGANIZATION_REGISTERED",
  "LOCATION_ADDED",
  "USER_CREATED",
  "USER_ROLES_CHANGED",
  "USER_PASSWORD_RESET",
  "USER_DEACTIVATED",
  "USER_REACTIVATED",
  "USER_ACTIVATED",
  "USER_LOCALE_CHANGED",
  "USER_EMAIL_PREFERENCES_CHANGED",
  "TAX_PROFILE_CREATED",
  "TAX_PROFILE_CORRECTED",
  "BANK_PROFILE_CREATED",
  "BANK_PROFILE_CORRECTED",
  "BANK_PROFILE_APPROVED",
  "BANK_PROFILE_REJECTED",
  "PAYOUT_ASSIGNMENT_CHANGED",
  "PAYMENT_HELD_BY_OPERATOR",
  "PAYMENT_RELEASE_REQUESTED",
  "PAYMENT_RELEASE_APPROVED",
  "PAYMENT_RELEASED",
  "PAYMENT_RELEASE_REFUSED",
  "INVITATION_ACCEPTED",
  "ENROLLMENT_WITHDRAWN",
  "LOCATION_INVITED_AGAIN",
  "ENROLLMENT_SIGNED_UP_AGAIN",
  "MIGRATION_SCHEDULED",
  "MIGRATION_NOTIFIED",
  "MIGRATION_USERS_SET_UP",
  "MIGRATION_COMPLETED",
] as const;
const SERVICES = ["identity-service", "eligibility-service", "enrollment-service", "payout-service"] as const;

interface Filter {
  from: string;
  to: string;
  service: string;
  action: string;
}

const NO_FILTER: Filter = { from: "", to: "", service: "", action: "" };

/** The organization's own audit log: its global admins' page. */
export default function AuditLogPage({ me }: { me: Me }) {
  const { t } = useTranslation();
  if (me.organizationId === undefined || !can(me, "audit-log:read")) {
    return <p>{t("common.notForYou")}</p>;
  }
  return (
    <>
      <h1>{t("audit.title")}</h1>
      <AuditLog orgId={me.organizationId} />
    </>
  );
}

/** An organization's audit log as an operator opens it, from the organization's page. */
export function OperatorsAuditLog() {
  const { t } = useTranslation();
  const { orgId = "" } = useParams();
  return (
    <section aria-labelledby="operators-audit">
      <h2 id="operators-audit">{t("audit.title")}</h2>
      <AuditLog orgId={orgId} />
    </section>
  );
}

/**
 * Who did what to an organization's data, when, and by which request (its correlation id), across every service,
 * newest first; filtered by dates, service and action; the same selection downloaded as CSV. Actions and services are
 * shown in the reader's language; an action the portal does not know yet is shown as its code.
 */
function AuditLog({ orgId }: { orgId: string }) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [form, setForm] = useState<Filter>(NO_FILTER);
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [page, setPage] = useState(0);
  const [downloadError, setDownloadError] = useState<unknown>();
  const query = {
    from: filter.from || undefined,
    to: filter.to || undefined,
    service: filter.service || undefined,
    action: filter.action || undefined,
  };
  const entries = useQuery({
    queryKey: ["audit-log", orgId, filter, page],
    // The operation answers JSON or CSV by Accept; the client asks for JSON.
    queryFn: async () => (await unwrap(api.GET("/api/v1/organizations/{orgId}/audit-log", {
      params: { path: { orgId }, query: { ...query, page, size: PAGE_SIZE, sort: "occurredAt,desc" } },
    }))) as Schema<"PageAuditEntryView">,
    placeholderData: keepPreviousData,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPage(0);
    setFilter(form);
  };

  // The CSV is the same resource asked for as text/csv (every matching entry); fetched (a link cannot send Accept).
  async function download() {
    setDownloadError(undefined);
    const search = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][]);
    setDownloadError(await downloadCsv(`/api/v1/organizations/${encodeURIComponent(orgId)}/audit-log?${search}`,
      `audit-log-${orgId}.csv`));
  }

  const items = entries.data?.items ?? [];
  const totalPages = Math.max(1, entries.data?.totalPages ?? 1);
  return (
    <>
      <form className="card form toolbar" data-testid="audit-filter" onSubmit={submit} role="search">
        <div className="field">
          <label htmlFor={`${id}-from`}>{t("audit.from")}</label>
          <input id={`${id}-from`} type="date" value={form.from}
            onChange={(event) => setForm({ ...form, from: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>{t("audit.to")}</label>
          <input id={`${id}-to`} type="date" value={form.to}
            onChange={(event) => setForm({ ...form, to: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-service`}>{t("audit.service")}</label>
          <select id={`${id}-service`} value={form.service}
            onChange={(event) => setForm({ ...form, service: event.target.value })}>
            <option value="">{t("audit.anyService")}</option>
            {SERVICES.map((service) => <option key={service} value={service}>{t(`audit.services.${service}`)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-action`}>{t("audit.action")}</label>
          <select id={`${id}-action`} value={form.action}
            onChange={(event) => setForm({ ...form, action: event.target.value })}>
            <option value="">{t("audit.anyAction")}</option>
            {ACTIONS.map((action) => <option key={action} value={action}>{t(`audit.actions.${action}`)}</option>)}
          </select>
        </div>
        <button type="submit" className="primary">{t("operators.organizations.search")}</button>
        <button type="button" data-testid="audit-csv" onClick={() => void download()}>{t("audit.downloadCsv")}</button>
      </form>
      {downloadError !== undefined && <ProblemMessage error={downloadError} />}
      {entries.isError && <ProblemMessage error={entries.error} />}
      {entries.isPending && <p role="status">{t("common.loading")}</p>}
      {entries.data && items.length === 0 && <p>{t("audit.none")}</p>}
      {items.length > 0 && (
        <>
          <div className="table-scroll" tabIndex={0} role="region" aria-label={t("audit.title")}>
            <table data-testid="audit-log">
              <thead>
                <tr>
                  <th scope="col">{t("audit.when")}</th>
                  <th scope="col">{t("audit.who")}</th>
                  <th scope="col">{t("audit.action")}</th>
                  <th scope="col">{t("audit.target")}</th>
                  <th scope="col">{t("audit.details")}</th>
                  <th scope="col">{t("audit.correlationId")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((entry) => (
                  <tr key={entry.id} data-action={entry.action}>
                    <td>{dateTime(entry.occurredAt, i18n.language)}</td>
                    <td>
                      <div>{entry.actorName ?? entry.actorSubject ?? entry.service}</div>
                      <div className="hint">{t(`audit.kinds.${entry.actorKind}`)}</div>
                    </td>
                    <td>
                      <div>{t(`audit.actions.${entry.action}`, { defaultValue: entry.action })}</div>
                      <div className="hint">{t(`audit.services.${entry.service}`, { defaultValue: entry.service })}</div>
                    </td>
                    <td>{entry.targetType} {entry.targetId}</td>
                    <td><code className="details">{JSON.stringify(entry.details)}</code></td>
                    <td><code>{entry.correlationId}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} totalPages={totalPages} onPage={setPage} label={t("audit.pages")} />
        </>
      )}
    </>
  );
}
