import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { api, unwrap } from "../../api";
import ProblemMessage from "../../components/ProblemMessage";
import { month } from "../../format";
import { FieldError, invalidProps, lastMonth, messagesFor, PERIOD } from "./shared";

type Row = { currency: string; rate: string };

/** A month's rates to US dollars (?period=2026-11 in the address), replaced as a whole by a save. */
export default function ExchangeRates() {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const period = search.get("period") ?? lastMonth();
  const periodId = useId();
  const rates = useQuery({
    queryKey: ["exchange-rates", period],
    queryFn: () => unwrap(api.GET("/api/v1/exchange-rates/{period}", { params: { path: { period } } })),
    enabled: PERIOD.test(period),
  });
  return (
    <section aria-labelledby="operators-rates">
      <h2 id="operators-rates">{t("operators.rates.title")}</h2>
      <div className="toolbar">
        <label htmlFor={periodId}>{t("operators.period")}</label>
        <input id={periodId} type="month" value={period}
          onChange={(event) => setSearch({ period: event.target.value }, { replace: true })} />
      </div>
      {PERIOD.test(period) && <h3>{month(period, i18n.language)}</h3>}
      {rates.isPending && rates.fetchStatus !== "idle" && <p role="status">{t("common.loading")}</p>}
      {rates.isError && <ProblemMessage error={rates.error} />}
      {rates.isSuccess && (
        <RatesForm key={period} period={period} initial={rates.data.rates} />
      )}
    </section>
  );
}

function RatesForm({ period, initial }: { period: string; initial: Record<string, string> }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const id = useId();
  const [rows, setRows] = useState<Row[]>(() => {
    const existing = Object.entries(initial).map(([currency, rate]) => ({ currency, rate }));
    return existing.length > 0 ? existing : [{ currency: "", rate: "" }];
  });
  const [saved, setSaved] = useState(false);
  const [checked, setChecked] = useState(false);
  // Two rows of one currency would collapse into one entry of the map the API takes: refused here, under the repeat.
  const currencyOf = (row: Row) => row.currency.trim().toUpperCase();
  const repeated = rows.map((row, index) =>
    currencyOf(row) !== "" && rows.slice(0, index).some((earlier) => currencyOf(earlier) === currencyOf(row)));
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT("/api/v1/exchange-rates/{period}", {
      params: { path: { period } },
      body: {
        rates: Object.fromEntries(rows
          .filter((row) => row.currency.trim() !== "" || row.rate.trim() !== "")
          .map((row) => [row.currency.trim().toUpperCase(), row.rate.trim()])),
      },
    })),
    onSuccess: async () => {
      setSaved(true);
      await queries.invalidateQueries({ queryKey: ["exchange-rates", period] });
    },
  });
  const change = (index: number, patch: Partial<Row>) => {
    setSaved(false);
    setRows((all) => all.map((row, at) => (at === index ? { ...row, ...patch } : row)));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (repeated.some(Boolean)) {
      save.reset();
      return;
    }
    save.mutate();
  };
  const error = save.error;
  const refused = checked && repeated.some(Boolean);
  return (
    <form className="card form" data-testid="exchange-rates-form" onSubmit={submit}>
      <p className="hint">{t("operators.rates.intro")}</p>
      {Object.keys(initial).length === 0 && <p>{t("operators.rates.none")}</p>}
      {save.isError && <ProblemMessage error={error} />}
      {refused && <p className="problem" role="alert">{t("common.duplicateCurrencies")}</p>}
      <FieldError id={`${id}-rates-error`} error={error} field="rates" />
      {rows.map((row, index) => {
        const field = `rates.${row.currency.trim().toUpperCase()}`;
        const errorId = `${id}-${index}-error`;
        const duplicate = refused && repeated[index];
        const duplicateId = `${id}-${index}-duplicate`;
        const currencyErrors = [messagesFor(error, field).length > 0 ? errorId : undefined, duplicate ? duplicateId : undefined]
          .filter(Boolean).join(" ");
        return (
          <div key={index} className="rate-row" data-testid="exchange-rate-row">
            <div className="field">
              <label htmlFor={`${id}-${index}-currency`}>{t("operators.rates.currency")}</label>
              <input id={`${id}-${index}-currency`} value={row.currency} maxLength={3} size={5} autoCapitalize="characters"
                onChange={(event) => change(index, { currency: event.target.value })}
                aria-invalid={currencyErrors !== "" || undefined} aria-describedby={currencyErrors || undefined} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-${index}-rate`}>{t("operators.rates.rate")}</label>
              <input id={`${id}-${index}-rate`} value={row.rate} inputMode="decimal"
                onChange={(event) => change(index, { rate: event.target.value })} {...invalidProps(error, field, errorId)} />
            </div>
            <button type="button" onClick={() => setRows((all) => all.filter((_, at) => at !== index))}
              aria-label={t("operators.rates.removeNamed", { currency: row.currency || index + 1 })}>
              {t("operators.remove")}
            </button>
            <FieldError id={errorId} error={error} field={field} />
            {duplicate && (
              <span className="field-error" id={duplicateId} data-testid="exchange-rate-duplicate">{t("common.duplicateCurrency")}</span>
            )}
          </div>
        );
      })}
      <div className="toolbar">
        <button type="button" onClick={() => setRows((all) => [...all, { currency: "", rate: "" }])}>
          {t("operators.rates.add")}
        </button>
        <button type="submit" className="primary" disabled={save.isPending}>{t("operators.save")}</button>
      </div>
      {saved && <p role="status" data-testid="exchange-rates-saved">{t("operators.rates.saved")}</p>}
    </form>
  );
}
