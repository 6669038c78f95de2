import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { api, downloadCsv, unwrap, type Schema } from "../api";
import ProblemMessage from "../components/ProblemMessage";
import { money, moneyMap, month } from "../format";
import { can, type Me } from "../session";

const PERIOD = /^\d{4}-\d{2}$/;

/** The previous calendar month, as a statement period ("2026-11"). */
function lastMonth(today = new Date()): string {
  // The person's own calendar, not UTC's (on the 1st in Tokyo before 09:00, UTC is still in the month before).
  const year = today.getMonth() === 0 ? today.getFullYear() - 1 : today.getFullYear();
  const previous = today.getMonth() === 0 ? 12 : today.getMonth(); // getMonth is 0-based: this is the previous month
  return `${String(year).padStart(4, "0")}-${String(previous).padStart(2, "0")}`;
}

/** A month's statement per location, and its CSV (UTF-8 with a byte-order mark for ja and ko: Excel reads it). */
export default function Statements({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const orgId = me.organizationId;
  const allowed = orgId !== undefined && can(me, "incentives:read");
  // The month is in the address (/statements?period=2026-11): a bookmark or a shared link opens the same statement.
  const [search, setSearch] = useSearchParams();
  const period = search.get("period") ?? lastMonth();
  const setPeriod = (value: string) => setSearch({ period: value }, { replace: true });
  const [downloadError, setDownloadError] = useState<unknown>();
  const periodId = useId();
  // The period comes from the address bar: only a real "YYYY-MM" is ever put into a path.
  const validPeriod = PERIOD.test(period);
  const statement = useQuery({
    queryKey: ["statement", orgId, period],
    // The operation answers JSON or CSV by Accept; the client asks for JSON.
    queryFn: async () => (await unwrap(api.GET("/api/v1/organizations/{orgId}/statements/{period}", {
      params: { path: { orgId: orgId!, period } },
    }))) as Schema<"Statement">,
    enabled: allowed && validPeriod,
  });
  if (!allowed) {
    return <p>{t("common.notForYou")}</p>;
  }

  // The CSV is the same resource asked for as text/csv; fetched here (a link could not send Accept), then saved.
  async function download() {
    setDownloadError(undefined);
    if (!validPeriod || orgId === undefined) {
      return;
    }
    const url = `/api/v1/organizations/${encodeURIComponent(orgId)}/statements/${encodeURIComponent(period)}`;
    setDownloadError(await downloadCsv(url, `statement-${period}.csv`));
  }

  return (
    <>
      <h1>{t("statements.title")}</h1>
      <div className="toolbar">
        <label htmlFor={periodId}>{t("statements.period")}</label>
        <input id={periodId} type="month" value={period} onChange={(event) => setPeriod(event.target.value)} />
        <button type="button" onClick={() => void download()}>{t("statements.downloadCsv")}</button>
      </div>
      {!validPeriod && <p className="problem" role="alert">{t("common.invalidMonth")}</p>}
      {downloadError !== undefined && <ProblemMessage error={downloadError} />}
      {statement.isError && <ProblemMessage error={statement.error} />}
      {statement.data && <h2>{month(statement.data.period, i18n.language)}</h2>}
      {statement.data?.locations.length === 0 && <p>{t("statements.empty")}</p>}
      {statement.data?.locations.map((location) => (
        <section key={location.partnerId} className="card" data-testid="statement-location">
          <h3>{location.name ?? location.partnerId} <span className="muted">{location.partnerId}</span></h3>
          <dl className="totals">
            {(["paidToDate", "upcomingPayment", "onHold", "unpaidEarnings"] as const).map((key) => (
              <div key={key}>
                <dt>{t(`payments.totals.${key}`)}</dt>
                <dd>{moneyMap(location.totals[key] as Record<string, string> | undefined, i18n.language).join(" · ") || "—"}</dd>
              </div>
            ))}
          </dl>
          {location.payments.length > 0 && (
            <ul>
              {location.payments.map(({ payment, lines }, index) => (
                <li key={payment?.id ?? index}>
                  {payment?.programId} · {money(payment?.payoutAmount ?? payment?.amount, payment?.payoutCurrency ?? payment?.currency, i18n.language)}
                  {" · "}{t(`paymentStatus.${payment?.status}`, { defaultValue: payment?.status })}
                  {" · "}{t("statements.lines", { count: lines?.length ?? 0 })}
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}
