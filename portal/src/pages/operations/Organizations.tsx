import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api";
import ProblemMessage from "../../components/ProblemMessage";
import { date } from "../../format";
import { FieldError, invalidProps } from "./shared";

const PAGE_SIZE = 20;

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
                    <th scope="row">{organization.name}</th>
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
          <nav className="toolbar" aria-label={t("operators.organizations.pages")}>
            <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>{t("operators.organizations.previous")}</button>
            <span>{t("operators.organizations.page", { page: page + 1, total: Math.max(1, result.totalPages ?? 1) })}</span>
            <button type="button" disabled={page + 1 >= (result.totalPages ?? 1)} onClick={() => setPage(page + 1)}>
              {t("operators.organizations.next")}
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
