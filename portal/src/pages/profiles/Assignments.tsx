import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiProblem, unwrap, type Schema } from "../../api";
import FirstItemsOnly from "../../components/FirstItemsOnly";
import ProblemMessage from "../../components/ProblemMessage";
import { dateTime } from "../../format";
import { can, type Me } from "../../session";
import { ALL, Field, useBankProfiles, useLocationName, useTaxProfiles, type Enrollment } from "./shared";

type Assignment = Schema<"PayoutAssignment">;

/** Per enrolment (location and programme): which tax and payment profile its payments use. */
export default function Assignments({ me, orgId }: { me: Me; orgId: string }) {
  const { t } = useTranslation();
  const enrollments = useQuery({
    queryKey: ["enrollments", orgId],
    queryFn: () => unwrap(api.GET("/api/v1/organizations/{orgId}/enrollments", { params: { path: { orgId }, query: ALL } })),
  });
  const items = enrollments.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="payout-assignments">
      <h2 id="payout-assignments">{t("profiles.assignment.title")}</h2>
      <p className="muted">{t("profiles.assignment.intro")}</p>
      {enrollments.isPending && <p role="status">{t("common.loading")}</p>}
      {enrollments.isError && <ProblemMessage error={enrollments.error} />}
      {enrollments.isSuccess && items.length === 0 && <p>{t("profiles.assignment.none")}</p>}
      {items.map((enrollment) => <AssignmentCard key={enrollment.id} me={me} orgId={orgId} enrollment={enrollment} />)}
      <FirstItemsOnly page={enrollments.data} />
    </section>
  );
}

function AssignmentCard({ me, orgId, enrollment }: { me: Me; orgId: string; enrollment: Enrollment }) {
  const { t, i18n } = useTranslation();
  const locationName = useLocationName(me);
  const { partnerId, programId } = enrollment;
  const key = ["payoutAssignment", partnerId, programId];
  const assignment = useQuery({
    queryKey: key,
    // No assignment yet is a 404: an empty form.
    queryFn: async (): Promise<Assignment | null> => {
      try {
        return await unwrap(api.GET("/api/v1/locations/{partnerId}/programs/{programId}/payout-assignment", {
          params: { path: { partnerId, programId } },
        }));
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 404) {
          return null;
        }
        throw error;
      }
    },
  });
  const headingId = `assignment-${partnerId}-${programId}`;
  return (
    <article className="program" aria-labelledby={headingId} data-testid="payout-assignment"
      data-partner-id={partnerId} data-program-id={programId}>
      <h3 id={headingId}>
        {locationName(partnerId)} · {programId}{" "}
        <span className="badge">{t(`enrollmentStatus.${enrollment.status}`)}</span>
      </h3>
      {assignment.isPending && <p role="status">{t("common.loading")}</p>}
      {assignment.isError && <ProblemMessage error={assignment.error} />}
      {assignment.isSuccess && (
        can(me, "incentives:manage")
          ? <AssignmentForm orgId={orgId} enrollment={enrollment}
            assignment={assignment.data} queryKey={key} />
          : <AssignmentSummary orgId={orgId} assignment={assignment.data} />
      )}
      {assignment.data?.updatedAt && (
        <p className="muted">{t("profiles.assignment.updatedAt", { date: dateTime(assignment.data.updatedAt, i18n.language) })}</p>
      )}
    </article>
  );
}

/** What a reader sees: the assigned profiles by name. */
function AssignmentSummary({ orgId, assignment }: { orgId: string; assignment: Assignment | null }) {
  const { t } = useTranslation();
  const tax = useTaxProfiles(orgId).data?.items?.find((profile) => profile.id === assignment?.taxProfileId);
  const bank = useBankProfiles(orgId).data?.items?.find((profile) => profile.id === assignment?.bankProfileId);
  if (!assignment) {
    return <p>{t("profiles.assignment.notYet")}</p>;
  }
  return (
    <dl className="profiles-summary">
      <div><dt>{t("profiles.assignment.taxProfile")}</dt><dd>{tax ? `${tax.taxId} (${t(`profiles.taxForm.${tax.taxForm}`)})` : "—"}</dd></div>
      <div><dt>{t("profiles.assignment.bankProfile")}</dt><dd>{bank ? `${bank.name} ${bank.maskedAccount ?? ""}` : "—"}</dd></div>
      <div><dt>{t("profiles.assignment.currency")}</dt><dd>{assignment.currency ?? "—"}</dd></div>
      <div><dt>{t("profiles.assignment.holdPayment")}</dt><dd>{assignment.holdPayment ? t("profiles.yes") : t("profiles.no")}</dd></div>
    </dl>
  );
}

function AssignmentForm({ orgId, enrollment, assignment, queryKey }: {
  orgId: string;
  enrollment: Enrollment;
  assignment: Assignment | null;
  queryKey: readonly unknown[];
}) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const taxProfiles = useTaxProfiles(orgId);
  const bankProfiles = useBankProfiles(orgId);
  const form = `assignment-${enrollment.partnerId}-${enrollment.programId}`;
  const [taxProfileId, setTaxProfileId] = useState(assignment?.taxProfileId ?? "");
  const [bankProfileId, setBankProfileId] = useState(assignment?.bankProfileId ?? "");
  const [currency, setCurrency] = useState(assignment?.currency ?? "");
  const [holdPayment, setHoldPayment] = useState(assignment?.holdPayment ?? false);
  const [saved, setSaved] = useState(false);
  const taxChoices = (taxProfiles.data?.items ?? []).filter((profile) => profile.partnerId === enrollment.partnerId);
  const bankChoices = bankProfiles.data?.items ?? [];

  const save = useMutation({
    mutationFn: () => unwrap(api.PUT("/api/v1/locations/{partnerId}/programs/{programId}/payout-assignment", {
      params: { path: { partnerId: enrollment.partnerId, programId: enrollment.programId } },
      body: {
        ...(taxProfileId ? { taxProfileId } : {}),
        ...(bankProfileId ? { bankProfileId } : {}),
        ...(currency ? { currency } : {}),
        holdPayment,
      },
    })),
    onSuccess: (stored) => {
      queries.setQueryData(queryKey, stored);
      setSaved(true);
      void queries.invalidateQueries({ queryKey: ["enrollments", orgId] });
      void queries.invalidateQueries({ queryKey: ["payments", orgId] });
      void queries.invalidateQueries({ queryKey: ["summary", orgId] });
      void queries.invalidateQueries({ queryKey: ["statement", orgId] });
    },
    onError: () => setSaved(false),
  });
  const error = save.error;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  };
  return (
    <form className="profiles-form" data-testid="assignment-form" onSubmit={submit} noValidate>
      {error && <ProblemMessage error={error} />}
      {saved && <p role="status" className="profiles-saved">{t("profiles.saved")}</p>}
      <Field form={form} field="taxProfileId" label={t("profiles.assignment.taxProfile")} error={error}>
        {(props) => (
          <select {...props} value={taxProfileId} onChange={(event) => setTaxProfileId(event.target.value)}>
            <option value="">{t("profiles.choose")}</option>
            {taxChoices.map((profile) => (
              <option key={profile.id} value={profile.id}>
                {profile.taxId} · {t(`profiles.taxForm.${profile.taxForm}`)} · {t(`profiles.taxStatus.${profile.status}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field form={form} field="bankProfileId" label={t("profiles.assignment.bankProfile")} error={error}>
        {(props) => (
          <select {...props} value={bankProfileId} onChange={(event) => setBankProfileId(event.target.value)}>
            <option value="">{t("profiles.choose")}</option>
            {bankChoices.map((profile) => (
              <option key={profile.id} value={profile.id}>
                {profile.name} · {profile.currency} {profile.maskedAccount ?? ""} · {t(`profiles.bankStatus.${profile.status}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field form={form} field="currency" label={t("profiles.assignment.currency")} hint={t("profiles.assignment.currencyHint")} error={error}>
        {(props) => (
          <input {...props} value={currency} maxLength={3} autoComplete="off"
            onChange={(event) => setCurrency(event.target.value.toUpperCase())} />
        )}
      </Field>
      <div className="profiles-check">
        <input id={`${form}-holdPayment`} type="checkbox" checked={holdPayment}
          onChange={(event) => setHoldPayment(event.target.checked)} />
        <label htmlFor={`${form}-holdPayment`}>{t("profiles.assignment.holdPayment")}</label>
        {error instanceof ApiProblem && error.messagesFor("holdPayment").length > 0 && (
          <span className="profiles-field-error" data-testid="field-error-holdPayment">{error.messagesFor("holdPayment").join(" ")}</span>
        )}
      </div>
      <div className="toolbar">
        <button type="submit" className="primary" disabled={save.isPending}>{t("profiles.assignment.save")}</button>
      </div>
    </form>
  );
}
