import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api";
import FirstItemsOnly, { LIST_SIZE } from "../components/FirstItemsOnly";
import ProblemMessage from "../components/ProblemMessage";
import { date, money, moneyMap } from "../format";
import { can, type Me } from "../session";

/** What the organization is paid: totals per currency, then each payment with its holds and next actions. */
export default function Payments({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const orgId = me.organizationId;
  const allowed = orgId !== undefined && can(me, "incentives:read");
  const summary = useQuery({
    queryKey: ["summary", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/summary", { params: { path: { orgId: orgId! } } })),
    enabled: allowed,
  });
  const payments = useQuery({
    queryKey: ["payments", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/payments", {
      params: { path: { orgId: orgId! }, query: { page: 0, size: LIST_SIZE, sort: "createdAt,desc" } },
    })),
    enabled: allowed,
  });
  if (!allowed) {
    return <p>{t("common.notForYou")}</p>;
  }
  const totals = summary.data;
  return (
    <>
      <h1>{t("payments.title")}</h1>
      {summary.isError && <ProblemMessage error={summary.error} />}
      {totals && (
        <dl className="totals">
          {(["paidToDate", "upcomingPayment", "onHold", "unpaidEarnings"] as const).map((key) => (
            <div key={key}>
              <dt>{t(`payments.totals.${key}`)}</dt>
              <dd>{moneyMap(totals[key] as Record<string, string> | undefined, i18n.language).join(" · ") || "—"}</dd>
            </div>
          ))}
        </dl>
      )}
      {payments.isError && <ProblemMessage error={payments.error} />}
      {payments.isSuccess && payments.data.items?.length === 0 && <p>{t("payments.none")}</p>}
      {payments.isSuccess && (payments.data.items?.length ?? 0) > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t("payments.title")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("payments.period")}</th>
                <th scope="col">{t("payments.location")}</th>
                <th scope="col">{t("payments.program")}</th>
                <th scope="col" className="number">{t("payments.amount")}</th>
                <th scope="col">{t("payments.status")}</th>
                <th scope="col">{t("payments.holds")}</th>
              </tr>
            </thead>
            <tbody>
              {payments.data.items!.map((payment) => (
                <tr key={payment.id} data-testid="payment">
                  <td>{payment.period}</td>
                  <td>{payment.partnerId}</td>
                  <td>{payment.programId}</td>
                  <td className="number">{money(payment.payoutAmount ?? payment.amount, payment.payoutCurrency ?? payment.currency, i18n.language)}</td>
                  <td>{t(`paymentStatus.${payment.status}`, { defaultValue: payment.status })}</td>
                  <td>
                    {(payment.holdReasons ?? []).map((reason) => <div key={reason}>{t(`holdReason.${reason}`)}</div>)}
                    {(payment.nextActions ?? []).map((action) => <div key={action} className="next-action">{action}</div>)}
                    {payment.heldSince && <div className="muted">{t("payments.heldSince", { date: date(payment.heldSince, i18n.language) })}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FirstItemsOnly page={payments.data} />
    </>
  );
}
