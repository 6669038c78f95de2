import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api, ApiProblem, unwrap, type Schema } from "../../api";
import Pager from "../../components/Pager";
import ProblemMessage from "../../components/ProblemMessage";
import { dateTime } from "../../format";
import { FieldError, invalidProps } from "./shared";

type ReviewItem = Schema<"BankProfileReviewItem">;
type ReviewReason = Schema<"ReviewReason">;

const PAGE_SIZE = 20;
const REASONS: ReviewReason[] = ["ACCOUNT_CHANGED_AFTER_PAYMENT", "FOREIGN_BANK_COUNTRY"];

interface Filter {
  reason: ReviewReason | "";
  bankCountry: string;
}

/** What the last decision did, told above the queue (the row itself leaves it). */
type Done = { action: "approved" | "rejected"; name: string } | { action: "stale" };

/**
 * Every organization's bank profiles the validation sent to a person (IN_REVIEW), the longest waiting first: an
 * account changed after a payment, or a bank in a country of none of the organization's locations. An operator
 * approves one, or rejects it with a reason the partner reads; either names the version listed (If-Match), so a
 * profile the partner corrected meanwhile is refused (412) and the list reloaded.
 */
export default function BankProfileReviews() {
  const { t, i18n } = useTranslation();
  const id = useId();
  const [form, setForm] = useState<Filter>({ reason: "", bankCountry: "" });
  const [filter, setFilter] = useState<Filter>(form);
  const [page, setPage] = useState(0);
  const [rejecting, setRejecting] = useState<ReviewItem | undefined>();
  const [done, setDone] = useState<Done | undefined>();
  const reviews = useQuery({
    queryKey: ["bank-profile-reviews", filter, page],
    queryFn: () => unwrap(api.GET("/api/v1/payment-profile-reviews", {
      params: {
        query: {
          reason: filter.reason || undefined,
          bankCountry: filter.bankCountry.trim().toUpperCase() || undefined,
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
  const error = reviews.error;
  const items = reviews.data?.items ?? [];
  const totalPages = Math.max(1, reviews.data?.totalPages ?? 1);
  return (
    <section aria-labelledby="operators-reviews">
      <h2 id="operators-reviews">{t("operators.reviews.title")}</h2>
      <p>{t("operators.reviews.intro")}</p>
      <form className="card form toolbar" data-testid="review-filter" onSubmit={submit} role="search">
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t("operators.reviews.reason")}</label>
          <select id={`${id}-reason`} value={form.reason}
            onChange={(event) => setForm({ ...form, reason: event.target.value as ReviewReason | "" })}>
            <option value="">{t("operators.reviews.anyReason")}</option>
            {REASONS.map((reason) => <option key={reason} value={reason}>{t(`operators.reviewReason.${reason}`)}</option>)}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-country`}>{t("profiles.bank.bankCountry")}</label>
          <input id={`${id}-country`} value={form.bankCountry} maxLength={2} size={3}
            onChange={(event) => setForm({ ...form, bankCountry: event.target.value })}
            {...invalidProps(error, "bankCountry", `${id}-country-error`)} />
          <FieldError id={`${id}-country-error`} error={error} field="bankCountry" />
        </div>
        <button type="submit" className="primary">{t("operators.organizations.search")}</button>
      </form>
      {done && (
        <p role="status" className={done.action === "stale" ? "problem" : "profiles-saved"} data-testid="review-done">
          {done.action === "stale" ? t("operators.reviews.stale") : t(`operators.reviews.${done.action}`, { name: done.name })}
        </p>
      )}
      {reviews.isError && <ProblemMessage error={error} />}
      {reviews.isPending && <p role="status">{t("common.loading")}</p>}
      {reviews.data && items.length === 0 && <p>{t("operators.reviews.none")}</p>}
      {items.length > 0 && (
        <>
          <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="operators-reviews">
            <table data-testid="bank-profile-reviews">
              <thead>
                <tr>
                  <th scope="col">{t("operators.reviews.submittedAt")}</th>
                  <th scope="col">{t("operators.reviews.profile")}</th>
                  <th scope="col">{t("profiles.bank.bankCountry")}</th>
                  <th scope="col">{t("profiles.bank.currency")}</th>
                  <th scope="col">{t("profiles.bank.account")}</th>
                  <th scope="col">{t("operators.reviews.why")}</th>
                  <th scope="col">{t("profiles.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((item) => (
                  <tr key={item.id} data-testid="bank-profile-review" data-profile-id={item.id}
                    data-reason={item.reasonCode}>
                    <td>{dateTime(item.submittedAt, i18n.language)}</td>
                    <th scope="row">
                      {item.name}
                      <div className="muted">{item.beneficiary}</div>
                      <Link to={`/operations/organizations/${item.organizationId}`}>{t("operators.reviews.organization")}</Link>
                    </th>
                    <td>{item.bankCountry}</td>
                    <td>{item.currency}</td>
                    <td>{item.maskedAccount ?? t(`profiles.method.${item.method}`)}</td>
                    <td data-testid="review-reason">{item.reason}</td>
                    <td>
                      <Decision item={item} onDone={(result) => { setRejecting(undefined); setDone(result); }}
                        onReject={() => { setDone(undefined); setRejecting(item); }} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} totalPages={totalPages} onPage={setPage} label={t("operators.reviews.pages")} />
        </>
      )}
      {rejecting && (
        <RejectForm key={`${rejecting.id}:${rejecting.version}`} item={rejecting}
          onDone={(result) => { setRejecting(undefined); setDone(result); }}
          onCancel={() => setRejecting(undefined)} />
      )}
    </section>
  );
}

/** A decision's outcome; a 412 (the partner corrected the profile since the list was read) reloads the queue. */
function useDecision(item: ReviewItem, onDone: (done: Done) => void) {
  const queries = useQueryClient();
  const settle = (result: Done) => {
    void queries.invalidateQueries({ queryKey: ["bank-profile-reviews"] });
    onDone(result);
  };
  return {
    onSuccess: (action: "approved" | "rejected") => settle({ action, name: item.name }),
    onError: (error: unknown) => {
      if (error instanceof ApiProblem && error.status === 412) {
        settle({ action: "stale" });
      } else if (error instanceof ApiProblem && error.status === 409) {
        // Another operator decided first: the queue no longer lists it.
        void queries.invalidateQueries({ queryKey: ["bank-profile-reviews"] });
      }
    },
  };
}

/** Approve at once (the profile as listed, If-Match its version), or open the rejection's form below the queue. */
function Decision({ item, onDone, onReject }: { item: ReviewItem; onDone: (done: Done) => void; onReject: () => void }) {
  const { t } = useTranslation();
  const outcome = useDecision(item, onDone);
  // One key per intended approval: a retry of the same request (double click, lost answer) replays it.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const approve = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/payment-profiles/{profileId}/approve", {
      params: {
        path: { profileId: item.id },
        header: { "If-Match": `"${item.version}"`, "Idempotency-Key": idempotencyKey },
      },
      body: {},
    })),
    onSuccess: () => outcome.onSuccess("approved"),
    onError: outcome.onError,
  });
  return (
    <div className="toolbar">
      <button type="button" className="primary" data-testid="approve-bank-profile" disabled={approve.isPending}
        onClick={() => approve.mutate()}>
        {t("operators.reviews.approve")}
      </button>
      <button type="button" data-testid="reject-bank-profile" onClick={onReject}>{t("operators.reviews.reject")}</button>
      {approve.isError && !(approve.error instanceof ApiProblem && approve.error.status === 412) && (
        <ProblemMessage error={approve.error} />
      )}
    </div>
  );
}

/** The rejection asks for the reason the partner will read, verbatim, in their profile's status (1 to 500 characters). */
function RejectForm({ item, onDone, onCancel }: { item: ReviewItem; onDone: (done: Done) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [reason, setReason] = useState("");
  const outcome = useDecision(item, onDone);
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const reject = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/payment-profiles/{profileId}/reject", {
      params: {
        path: { profileId: item.id },
        header: { "If-Match": `"${item.version}"`, "Idempotency-Key": idempotencyKey },
      },
      body: { reason },
    })),
    onSuccess: () => outcome.onSuccess("rejected"),
    onError: outcome.onError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reject.mutate();
  };
  const error = reject.error;
  return (
    <form className="card form" data-testid="reject-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t("operators.reviews.rejectTitle", { name: item.name })}</h3>
      <p className="muted">{item.reason}</p>
      {reject.isError && <ProblemMessage error={error} />}
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t("operators.reviews.rejectReason")}</label>
        <textarea id={`${id}-reason`} data-testid="reject-reason" value={reason} rows={3} maxLength={500} required
          onChange={(event) => { setReason(event.target.value); setIdempotencyKey(crypto.randomUUID()); }}
          {...invalidProps(error, "reason", `${id}-reason-error`, `${id}-reason-hint`)} />
        <span className="hint" id={`${id}-reason-hint`}>{t("operators.reviews.rejectReasonHint")}</span>
        <FieldError id={`${id}-reason-error`} error={error} field="reason" />
      </div>
      <div className="toolbar">
        <button type="submit" className="primary" data-testid="confirm-reject" disabled={reject.isPending}>
          {t("operators.reviews.confirmReject")}
        </button>
        <button type="button" onClick={onCancel}>{t("operators.cancel")}</button>
      </div>
    </form>
  );
}
