import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { api, ApiProblem, unwrap, type Schema } from "../../api";
import ProblemMessage from "../../components/ProblemMessage";
import { dateTime, moneyMap } from "../../format";
import { FieldError, invalidProps, lastMonth, words } from "./shared";

type PayoutRun = Schema<"PayoutRun">;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Starts a month's payout run (all locations, or the listed partner IDs), or opens one by its ID. */
export default function PayoutRuns() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const id = useId();
  const [period, setPeriod] = useState(lastMonth());
  const [partnerIds, setPartnerIds] = useState("");
  // One key per intended start: a retry of the same request (double click, lost answer) replays instead of repeating.
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const [runId, setRunId] = useState("");
  const start = useMutation({
    mutationFn: () => {
      const partners = words(partnerIds);
      return unwrap(api.POST("/api/v1/payout-runs", {
        params: { header: { "Idempotency-Key": idempotencyKey } },
        body: { period, partnerIds: partners.length > 0 ? partners : undefined },
      }));
    },
    onSuccess: (run) => {
      setIdempotencyKey(crypto.randomUUID());
      queries.setQueryData(["payout-run", run.id], run);
      void navigate(`/operations/payout-runs/${run.id}`);
    },
  });
  const edited = () => setIdempotencyKey(crypto.randomUUID());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate();
  };
  const open = (event: FormEvent) => {
    event.preventDefault();
    if (UUID.test(runId.trim())) {
      void navigate(`/operations/payout-runs/${runId.trim()}`);
    }
  };
  const error = start.error;
  return (
    <section aria-labelledby="operators-runs">
      <h2 id="operators-runs">{t("operators.runs.title")}</h2>
      <form className="card form" data-testid="payout-run-form" onSubmit={submit} aria-labelledby={`${id}-start`}>
        <h3 id={`${id}-start`}>{t("operators.runs.start")}</h3>
        {start.isError && <ProblemMessage error={error} />}
        <div className="field">
          <label htmlFor={`${id}-period`}>{t("operators.period")}</label>
          <input id={`${id}-period`} type="month" value={period} required
            onChange={(event) => { setPeriod(event.target.value); edited(); }}
            {...invalidProps(error, "period", `${id}-period-error`)} />
          <FieldError id={`${id}-period-error`} error={error} field="period" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-partners`}>{t("operators.runs.partnerIds")}</label>
          <textarea id={`${id}-partners`} value={partnerIds} rows={3}
            onChange={(event) => { setPartnerIds(event.target.value); edited(); }}
            {...invalidProps(error, "partnerIds", `${id}-partners-error`, `${id}-partners-hint`)} />
          <span className="hint" id={`${id}-partners-hint`}>{t("operators.runs.partnerIdsHint")}</span>
          <FieldError id={`${id}-partners-error`} error={error} field="partnerIds" />
          {error instanceof ApiProblem && Object.keys(error.fieldErrors).filter((field) => field.startsWith("partnerIds[")).map((field) => (
            <FieldError key={field} id={`${id}-${field}`} error={error} field={field} />
          ))}
        </div>
        <button type="submit" className="primary" disabled={start.isPending}>{t("operators.runs.startAction")}</button>
      </form>
      <form className="card form toolbar" data-testid="payout-run-open-form" onSubmit={open}>
        <label htmlFor={`${id}-run`}>{t("operators.runs.runId")}</label>
        <input id={`${id}-run`} value={runId} onChange={(event) => setRunId(event.target.value)} pattern={UUID.source} />
        <button type="submit">{t("operators.runs.open")}</button>
      </form>
      <RecentRuns />
    </section>
  );
}

/** The latest runs, newest first, each with its state and issued, held and released counts, linked to its page. */
function RecentRuns() {
  const { t, i18n } = useTranslation();
  const runs = useQuery({
    queryKey: ["payout-runs"],
    queryFn: () => unwrap(api.GET("/api/v1/payout-runs", { params: { query: { page: 0, size: 10 } } })),
  });
  const items = runs.data?.items ?? [];
  return (
    <section aria-labelledby="operators-recent-runs">
      <h3 id="operators-recent-runs">{t("operators.runs.recent")}</h3>
      {runs.isError && <ProblemMessage error={runs.error} />}
      {runs.isPending && <p role="status">{t("common.loading")}</p>}
      {runs.data && items.length === 0 && <p>{t("operators.runs.noRuns")}</p>}
      {runs.data && items.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="operators-recent-runs">
          <table data-testid="recent-runs">
            <thead>
              <tr>
                <th scope="col">{t("operators.period")}</th>
                <th scope="col">{t("operators.runs.fileState")}</th>
                <th scope="col">{t("operators.runs.startedAt")}</th>
                <th scope="col" className="number">{t("operators.runs.issued")}</th>
                <th scope="col" className="number">{t("operators.runs.held")}</th>
                <th scope="col" className="number">{t("operators.runs.released")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((run) => (
                <tr key={run.id}>
                  <th scope="row"><Link to={`/operations/payout-runs/${run.id}`}>{run.period}</Link></th>
                  <td>{t(`operators.runStatus.${run.status}`, { defaultValue: run.status })}</td>
                  <td>{dateTime(run.startedAt, i18n.language)}</td>
                  <td className="number">{run.paymentsIssued.toLocaleString(i18n.language)}</td>
                  <td className="number">{run.paymentsHeld.toLocaleString(i18n.language)}</td>
                  <td className="number">{run.paymentsReleased.toLocaleString(i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Sums decimal strings exactly (no float): per currency, the bank files' control sums. */
function addDecimals(values: string[]): string {
  const scale = Math.max(0, ...values.map((value) => (value.split(".")[1] ?? "").length));
  const scaled = (value: string) => {
    const negative = value.startsWith("-");
    const [whole, fraction = ""] = value.replace("-", "").split(".");
    const digits = BigInt(`${whole}${fraction.padEnd(scale, "0")}`);
    return negative ? -digits : digits;
  };
  const total = values.reduce((sum, value) => sum + scaled(value), 0n);
  const negative = total < 0n;
  const text = (negative ? -total : total).toString().padStart(scale + 1, "0");
  const result = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
  return negative ? `-${result}` : result;
}

function totals(run: PayoutRun): Record<string, string> {
  const byCurrency: Record<string, string[]> = {};
  for (const file of run.bankFiles) {
    for (const [currency, amount] of Object.entries(file.controlSums)) {
      (byCurrency[currency] ??= []).push(amount);
    }
  }
  return Object.fromEntries(Object.entries(byCurrency).map(([currency, amounts]) => [currency, addDecimals(amounts)]));
}

/** One run, asked again every 2 seconds until it has COMPLETED: progress, payment counts, totals and bank files. */
export function PayoutRunDetail() {
  const { t, i18n } = useTranslation();
  const { runId = "" } = useParams();
  // The run's ID comes from the address bar: only a UUID is ever put into a path.
  const validId = UUID.test(runId);
  const [downloadError, setDownloadError] = useState<unknown>();
  const run = useQuery({
    queryKey: ["payout-run", runId],
    queryFn: () => unwrap(api.GET("/api/v1/payout-runs/{id}", { params: { path: { id: runId } } })),
    enabled: validId,
    refetchInterval: (query) => (query.state.status === "error" || query.state.data?.status === "COMPLETED" ? false : 2000),
  });

  async function download(fileId: string, name: string) {
    setDownloadError(undefined);
    if (!validId) {
      return;
    }
    const response = await fetch(`/api/v1/payout-runs/${encodeURIComponent(runId)}/bank-files/${encodeURIComponent(fileId)}`, {
      headers: { Accept: "application/xml", "Accept-Language": i18n.language },
      credentials: "same-origin",
    });
    if (!response.ok) {
      setDownloadError(await ApiProblem.fromResponse(response));
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement("a");
    link.href = url;
    link.download = `${name}.xml`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  const data = run.data;
  return (
    <section aria-labelledby="operators-run">
      <h2 id="operators-run">{t("operators.runs.run")}</h2>
      <p><Link to="/operations/payout-runs">{t("operators.runs.back")}</Link></p>
      {!validId && <p className="problem" role="alert">{t("common.invalidLink")}</p>}
      {validId && run.isPending && <p role="status">{t("common.loading")}</p>}
      {run.isError && <ProblemMessage error={run.error} />}
      {data && (
        <>
          <p className="run-status" role="status">
            {t("operators.runs.status")}{" "}
            <span className={`badge ${data.status === "COMPLETED" ? "ok" : ""}`} data-testid="run-status" data-status={data.status}>
              {t(`operators.runStatus.${data.status}`, { defaultValue: data.status })}
            </span>
          </p>
          <dl className="totals" data-testid="run-counts">
            <div><dt>{t("operators.period")}</dt><dd>{data.period}</dd></div>
            <div><dt>{t("operators.runs.trigger")}</dt><dd>{t(`operators.runTrigger.${data.trigger}`, { defaultValue: data.trigger })}</dd></div>
            <div><dt>{t("operators.runs.startedAt")}</dt><dd>{dateTime(data.startedAt, i18n.language)}</dd></div>
            {data.completedAt && <div><dt>{t("operators.runs.completedAt")}</dt><dd>{dateTime(data.completedAt, i18n.language)}</dd></div>}
            <div>
              <dt>{t("operators.runs.locations")}</dt>
              <dd>{t("operators.runs.progress", {
                done: data.locationsDone.toLocaleString(i18n.language),
                total: data.locationsTotal.toLocaleString(i18n.language),
              })}</dd>
            </div>
            <div><dt>{t("operators.runs.issued")}</dt><dd data-testid="run-issued">{data.paymentsIssued.toLocaleString(i18n.language)}</dd></div>
            <div><dt>{t("operators.runs.held")}</dt><dd data-testid="run-held">{data.paymentsHeld.toLocaleString(i18n.language)}</dd></div>
            <div><dt>{t("operators.runs.released")}</dt><dd>{data.paymentsReleased.toLocaleString(i18n.language)}</dd></div>
            <div><dt>{t("operators.runs.forfeited")}</dt><dd>{data.paymentsForfeited.toLocaleString(i18n.language)}</dd></div>
            <div><dt>{t("operators.runs.total")}</dt><dd data-testid="run-total">{moneyMap(totals(data), i18n.language).join(" · ") || "—"}</dd></div>
          </dl>
          {(data.scope?.length ?? 0) > 0 && <p>{t("operators.runs.scope", { ids: data.scope!.join(", ") })}</p>}
          <h3>{t("operators.runs.bankFiles")}</h3>
          {downloadError !== undefined && <ProblemMessage error={downloadError} />}
          {data.bankFiles.length === 0 && <p>{t("operators.runs.noBankFiles")}</p>}
          {data.bankFiles.length > 0 && (
            <div className="table-scroll" tabIndex={0} role="region" aria-label={t("operators.runs.bankFiles")}>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("operators.runs.messageId")}</th>
                    <th scope="col">{t("operators.runs.fileState")}</th>
                    <th scope="col" className="number">{t("operators.runs.transfers")}</th>
                    <th scope="col" className="number">{t("operators.runs.controlSums")}</th>
                    <th scope="col">{t("operators.runs.createdAt")}</th>
                    <th scope="col"><span className="visually-hidden">{t("operators.runs.download")}</span></th>
                  </tr>
                </thead>
                <tbody>
                  {data.bankFiles.map((file) => (
                    <tr key={file.id} data-testid="bank-file-row">
                      <td><code>{file.messageId}</code></td>
                      <td>
                        {t(`operators.bankFileState.${file.state}`)}
                        {file.lastError && <div className="muted">{file.lastError}</div>}
                      </td>
                      <td className="number">{file.transferCount.toLocaleString(i18n.language)}</td>
                      <td className="number">{moneyMap(file.controlSums, i18n.language).map((amount) => <div key={amount}>{amount}</div>)}</td>
                      <td>{dateTime(file.createdAt, i18n.language)}</td>
                      <td>
                        <button type="button" onClick={() => void download(file.id, file.messageId)}
                          aria-label={t("operators.runs.downloadNamed", { name: file.messageId })}>
                          {t("operators.runs.download")}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
