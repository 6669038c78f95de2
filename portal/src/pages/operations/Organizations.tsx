import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { api, unwrap } from "../../api";
import { LIST_SIZE } from "../../components/FirstItemsOnly";
import Pager from "../../components/Pager";
import ProblemMessage from "../../components/ProblemMessage";
import { date, moneyMap } from "../../format";
import { FieldError, invalidProps } from "./shared";

const PAGE_SIZE = 20;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

interface Search {
  name: string;
  partnerId: string;
  country: string;
}

/**
 * The operators' directory of partner organizations: search by name, by a location's partner ID or by a country it
 * sells in; each with its primary contact, its locations' count and countries, and when it was registered. A page at
 * a time, by name.
 */
export default function Organizations() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [form, setForm] = useState<Search>({ name: "", partnerId: "", country: "" });
  const [search, setSearch] = useState<Search>(form);
  const [page, setPage] = useState(0);
  const organizations = useQuery({
    queryKey: ["organizations", search, page],
    queryFn: () => unwrap(api.GET("/api/v1/organizations", {
      params: {
        query: {
          name: search.name.trim() || undefined,
          partnerId: search.partnerId.trim() || undefined,
          country: search.country.trim().toUpperCase() || undefined,
          page,
          size: PAGE_SIZE,
          sort: "name,asc",
        },
      },
    })),
    placeholderData: keepPreviousData,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPage(0);
    setSearch(form);
  };
  const error = organizations.error;
  const result = organizations.data;
  const items = result?.items ?? [];
  return (
    <section aria-labelledby="operators-organizations">
      <h2 id="operators-organizations">{t("operators.organizations.title")}</h2>
      <form className="card form toolbar" data-testid="organization-search" onSubmit={submit} role="search">
        <div className="field">
          <label htmlFor={`${id}-name`}>{t("operators.organizations.name")}</label>
          <input id={`${id}-name`} value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })}
            {...invalidProps(error, "name", `${id}-name-error`)} />
          <FieldError id={`${id}-name-error`} error={error} field="name" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-partner`}>{t("operators.organizations.partnerId")}</label>
          <input id={`${id}-partner`} value={form.partnerId} inputMode="numeric"
            onChange={(event) => setForm({ ...form, partnerId: event.target.value })}
            {...invalidProps(error, "partnerId", `${id}-partner-error`)} />
          <FieldError id={`${id}-partner-error`} error={error} field="partnerId" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-country`}>{t("operators.organizations.country")}</label>
          <input id={`${id}-country`} value={form.country} maxLength={2} size={3}
            onChange={(event) => setForm({ ...form, country: event.target.value })}
            {...invalidProps(error, "country", `${id}-country-error`)} />
          <FieldError id={`${id}-country-error`} error={error} field="country" />
        </div>
        <button type="submit" className="primary">{t("operators.organizations.search")}</button>
      </form>
      {organizations.isError && <ProblemMessage error={error} />}
      {organizations.isPending && <p role="status">{t("common.loading")}</p>}
      {result && items.length === 0 && <p>{t("operators.organizations.none")}</p>}
      {result && items.length > 0 && (
        <>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="operators-organizations">
            <table data-testid="organizations">
              <thead>
                <tr>
                  <th scope="col">{t("operators.organizations.name")}</th>
                  <th scope="col">{t("operators.organizations.contact")}</th>
                  <th scope="col">{t("operators.organizations.locations")}</th>
                  <th scope="col">{t("operators.organizations.countries")}</th>
                  <th scope="col">{t("operators.organizations.registered")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((organization) => (
                  <tr key={organization.id}>
                    <th scope="row"><Link to={`/operations/organizations/${organization.id}`}>{organization.name}</Link></th>
                    <td>
                      {organization.primaryContact.firstName} {organization.primaryContact.lastName}{" "}
                      <span className="muted">{organization.primaryContact.email}</span>
                    </td>
                    <td>{organization.locationCount}</td>
                    <td>{organization.countries.join(", ")}</td>
                    <td>{date(organization.createdAt, i18n.language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} totalPages={result.totalPages} onPage={setPage} label={t("operators.organizations.pages")} />
        </>
      )}
    </section>
  );
}

const ALL = { page: 0, size: LIST_SIZE } as const;

/**
 * One organization as an operator reviews it, composed from the reads every service already offers operators: its
 * payment totals, locations, enrolments, users with their roles, and the state of its tax and payment profiles.
 */
export function OrganizationDetail() {
  const { t, i18n } = useTranslation();
  const { orgId = "" } = useParams();
  // The ID comes from the address bar: only a UUID is ever put into a path.
  const valid = UUID.test(orgId);
  const path = { params: { path: { orgId } } };
  const list = { params: { path: { orgId }, query: ALL } };
  const organization = useQuery({
    queryKey: ["organization", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}", path)),
    enabled: valid,
  });
  const totals = useQuery({
    queryKey: ["summary", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/summary", path)),
    enabled: valid,
  });
  const locations = useQuery({
    queryKey: ["locations", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/locations", list)),
    enabled: valid,
  });
  const enrollments = useQuery({
    queryKey: ["enrollments", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/enrollments", list)),
    enabled: valid,
  });
  const users = useQuery({
    queryKey: ["users", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/users", list)),
    enabled: valid,
  });
  const taxProfiles = useQuery({
    queryKey: ["tax-profiles", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/tax-profiles", list)),
    enabled: valid,
  });
  const bankProfiles = useQuery({
    queryKey: ["payment-profiles", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/payment-profiles", list)),
    enabled: valid,
  });
  const failed = [organization, totals, locations, enrollments, users, taxProfiles, bankProfiles]
    .find((query) => query.isError);
  return (
    <section aria-labelledby="operators-organization">
      <h2 id="operators-organization">{organization.data?.name ?? t("operators.organizations.title")}</h2>
      <p className="toolbar">
        <Link to="/operations/organizations">{t("operators.organizations.back")}</Link>
        {valid && <Link to={`/operations/organizations/${orgId}/audit-log`} data-testid="organization-audit-link">{t("audit.title")}</Link>}
      </p>
      {!valid && <p className="problem" role="alert">{t("common.invalidLink")}</p>}
      {failed && <ProblemMessage error={failed.error} />}
      {organization.data && (
        <p data-testid="organization-contact">
          {organization.data.primaryContact.firstName} {organization.data.primaryContact.lastName}{" "}
          <span className="muted">{organization.data.primaryContact.email}</span>
          {" · "}{t("operators.organizations.registered")} {date(organization.data.createdAt, i18n.language)}
        </p>
      )}
      {totals.data && (
        <dl className="totals" data-testid="organization-totals">
          {(["paidToDate", "upcomingPayment", "onHold", "unpaidEarnings"] as const).map((key) => (
            <div key={key}>
              <dt>{t(`payments.totals.${key}`)}</dt>
              <dd>{moneyMap(totals.data[key], i18n.language).join(" · ") || "—"}</dd>
            </div>
          ))}
        </dl>
      )}
      <Table title={t("operators.organizations.locationsTitle")} testId="organization-locations"
        headings={[t("profiles.location"), t("operators.organizations.name"), t("profiles.country")]}
        rows={(locations.data?.items ?? []).map((location) => [location.partnerId, location.name, location.country])} />
      <Table title={t("operators.organizations.enrollments")} testId="organization-enrollments"
        headings={[t("profiles.location"), t("payments.program"), t("profiles.status")]}
        rows={(enrollments.data?.items ?? []).map((enrollment) => [enrollment.partnerId, enrollment.programId,
          t(`enrollmentStatus.${enrollment.status}`)])} />
      <Table title={t("users.title")} testId="organization-users"
        headings={[t("users.email"), t("users.roles"), t("users.statusHeading")]}
        rows={(users.data?.items ?? []).map((user) => [user.email, user.roles.map((role) => t(`users.role.${role}`)).join(", "),
          t(`users.status.${user.status}`)])} />
      <Table title={t("profiles.tax.title")} testId="organization-tax-profiles"
        headings={[t("profiles.location"), t("profiles.tax.expiresOn"), t("profiles.status")]}
        rows={(taxProfiles.data?.items ?? []).map((profile) => [profile.partnerId, date(profile.expiresOn, i18n.language),
          t(`profiles.taxStatus.${profile.status}`)])} />
      <Table title={t("profiles.bank.title")} testId="organization-bank-profiles"
        headings={[t("profiles.bank.name"), t("profiles.bank.currency"), t("profiles.status")]}
        rows={(bankProfiles.data?.items ?? []).map((profile) => [profile.name, profile.currency,
          t(`profiles.bankStatus.${profile.status}`)])} />
    </section>
  );
}

/** A titled read-only table of text cells; "none" when it has no rows. */
function Table({ title, testId, headings, rows }: { title: string; testId: string; headings: string[]; rows: (string | undefined)[][] }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <>
      <h3 id={id}>{title}</h3>
      {rows.length === 0 ? <p className="muted">{t("operators.organizations.empty")}</p> : (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby={id}>
          <table data-testid={testId}>
            <thead>
              <tr>{headings.map((heading) => <th key={heading} scope="col">{heading}</th>)}</tr>
            </thead>
            <tbody>
              {rows.map((cells, index) => (
                <tr key={index}>{cells.map((cell, column) => <td key={column}>{cell}</td>)}</tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
