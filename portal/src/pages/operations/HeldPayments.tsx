import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, type Schema } from "../../api";
import Pager from "../../components/Pager";
import ProblemMessage from "../../components/ProblemMessage";
import { date, money } from "../../format";
import { FieldError, invalidProps } from "./shared";

type Payment = Schema<"PaymentView">;
type HoldReason = NonNullable<Payment["holdReasons"]>[number];

const PAGE_SIZE = 20;
const REASONS: HoldReason[] = ["NOT_ENROLLED", "TAX_PROFILE_MISSING", "TAX_PROFILE_EXPIRED", "BANK_PROFILE_MISSING",
  "BANK_PROFILE_NOT_APPROVED", "PARTNER_HOLD", "BELOW_THRESHOLD", "OPERATOR_HOLD"];

interface Filter {
  reason: HoldReason | "";
  currency: string;
  partnerId: string;
}

/**
 * Every organization's held payments, the soonest forfeit first: what an operator works through before the 180-day
 * clock takes them. Filtered by hold reason, currency and partner ID; each one can be held by an operator or released, with a
 * reason kept in its history (a release above the four-eyes threshold waits for a second operator).
 */
export default function HeldPayments() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [form, setForm] = useState<Filter>({ reason: "", currency: "", partnerId: "" });
  const [filter, setFilter] = useState<Filter>(form);
  const [page, setPage] = useState(0);
  const held = useQuery({
    queryKey: ["held-payments", filter, page],
    queryFn: () => unwrap(api.GET("/api/v1/held-payments", {
      params: {
        query: {
          reason: filter.reason || undefined,
          currency: filter.currency.trim().toUpperCase() || undefined,
          partnerId: filter.partnerId.trim() || undefined,
          page,
          size: PAGE_SIZE,
        },
      },
    })),
    placeholderData: keepPreviousData,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPage(0);
    setFilter(form);
  };
  const error = held.error;
  const items = held.data?.items ?? [];
  const totalPages = Math.max(1, held.data?.totalPages ?? 1);
  return (
    <section aria-labelledby="operators-held">
      <h2 id="operators-held">{t("operators.held.title")}</h2>
      <form className="card form toolbar" data-testid="held-filter" onSubmit={submit} role="search">
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t("operators.held.reason")}</label>
          <select id={`${id}-reason`} value={form.reason}
            onChange={(event) => setForm({ ...form, reason: event.target.value as HoldReason | "" })}>
            <option value="">{t("operators.held.anyReason")}</option>
            {REASONS.map((reason) => <option key={reason} value={reason}>{t(`holdReason.${reason}`)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-currency`}>{t("profiles.bank.currency")}</label>
          <input id={`${id}-currency`} value={form.currency} maxLength={3} size={4}
            onChange={(event) => setForm({ ...form, currency: event.target.value })}
            {...invalidProps(error, "currency", `${id}-currency-error`)} />
          <FieldError id={`${id}-currency-error`} error={error} field="currency" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-partner`}>{t("operators.held.partnerId")}</label>
          <input id={`${id}-partner`} value={form.partnerId} size={12}
            onChange={(event) => setForm({ ...form, partnerId: event.target.value })}
            {...invalidProps(error, "partnerId", `${id}-partner-error`)} />
          <FieldError id={`${id}-partner-error`} error={error} field="partnerId" />
        </div>
        <button type="submit" className="primary">{t("operators.organizations.search")}</button>
      </form>
      {held.isError && <ProblemMessage error={error} />}
      {held.isPending && <p role="status">{t("common.loading")}</p>}
      {held.data && items.length === 0 && <p>{t("operators.held.none")}</p>}
      {items.length > 0 && (
        <>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="operators-held">
            <table data-testid="held-payments">
              <thead>
                <tr>
                  <th scope="col">{t("operators.held.forfeitsAt")}</th>
                  <th scope="col">{t("profiles.location")}</th>
                  <th scope="col">{t("payments.program")}</th>
                  <th scope="col">{t("payments.period")}</th>
                  <th scope="col" className="number">{t("payments.amount")}</th>
                  <th scope="col">{t("operators.held.reasons")}</th>
                  <th scope="col">{t("operators.held.action")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((payment) => (
                  <tr key={payment.id} data-payment-id={payment.id}>
                    <td>{date(payment.forfeitsAt, i18n.language)}</td>
                    <td>{payment.partnerId}</td>
                    <td>{payment.programId}</td>
                    <td>{payment.period}</td>
                    <td className="number">{money(payment.amount, payment.currency, i18n.language)}</td>
                    <td>
                      {(payment.holdReasons ?? []).map((reason) => <div key={reason}>{t(`holdReason.${reason}`)}</div>)}
                      {payment.operatorHold?.releaseRequestedBy && (
                        <div data-testid="release-requested">{t("operators.held.releaseRequested")}</div>
                      )}
                    </td>
                    <td><OperatorHoldAction payment={payment} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} totalPages={totalPages} onPage={setPage} label={t("operators.held.pages")} />
        </>
      )}
    </section>
  );
}

/**
 * Hold (adds OPERATOR_HOLD) or release (an operator's hold) one payment, with the reason kept in its history. A
 * release above the four-eyes threshold is recorded and waits for another operator (the API answers 202 and the
 * payment shows who asked); the same operator asking again is refused with the API's problem.
 */
function OperatorHoldAction({ payment }: { payment: Payment }) {
  const { t } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const releasing = payment.operatorHold != null;
  const action = releasing ? "release" : "hold";
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const [outcome, setOutcome] = useState<"held" | "released" | "pending" | null>(null);
  const change = useMutation({
    mutationFn: () => unwrap(releasing
      ? api.POST("/api/v1/payments/{paymentId}/release", {
        params: { path: { paymentId: payment.id }, header: { "Idempotency-Key": idempotencyKey } },
        body: { reason },
      })
      : api.POST("/api/v1/payments/{paymentId}/hold", {
        params: { path: { paymentId: payment.id }, header: { "Idempotency-Key": idempotencyKey } },
        body: { reason },
      })),
    onSuccess: (changed) => {
      setOutcome(!releasing ? "held" : changed.payment.operatorHold?.releaseRequestedBy ? "pending" : "released");
      setOpen(false);
      setReason("");
      setIdempotencyKey(crypto.randomUUID());
      void queries.invalidateQueries({ queryKey: ["held-payments"] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate();
  };
  return (
    <div data-testid="operator-hold" data-action={action}>
      {outcome && <p role="status" data-testid="operator-hold-outcome" data-outcome={outcome}>
        {t(`operators.held.outcome.${outcome}`)}</p>}
      {!open && (
        <button type="button" onClick={() => { setOpen(true); setOutcome(null); change.reset(); }}>
          {t(`operators.held.${action}`)}
        </button>
      )}
      {open && (
        <form className="form" onSubmit={submit}>
          <div className="field">
            <label htmlFor={`${id}-reason`}>{t(`operators.held.${action}Reason`)}</label>
            <textarea id={`${id}-reason`} value={reason} required maxLength={500} rows={2}
              onChange={(event) => setReason(event.target.value)}
              {...invalidProps(change.error, "reason", `${id}-reason-error`)} />
            <FieldError id={`${id}-reason-error`} error={change.error} field="reason" />
          </div>
          {change.isError && <ProblemMessage error={change.error} />}
          <div className="toolbar">
            <button type="submit" className="primary" disabled={change.isPending}>
              {t(`operators.held.${action}Confirm`)}
            </button>
            <button type="button" onClick={() => setOpen(false)}>{t("operators.held.cancel")}</button>
          </div>
        </form>
      )}
    </div>
  );
}
