import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api";
import ProblemMessage from "../components/ProblemMessage";
import type { Me } from "../session";

/**
 * A person's own settings: which emails they get. The critical ones (a payment held, refused or returned, a tax
 * profile expiring, invitations, what a migration needs of them) always come; the others can be turned off.
 */
export default function Settings({ me }: { me: Me }) {
  const { t } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const preferences = useQuery({
    queryKey: ["email-preferences"],
    queryFn: () => unwrap(api.GET("/api/v1/me/email-preferences")),
    enabled: me.organizationId !== undefined,
  });
  const [wanted, setWanted] = useState<boolean | undefined>();
  const save = useMutation({
    mutationFn: (nonCriticalEmails: boolean) => unwrap(api.PUT("/api/v1/me/email-preferences", {
      body: { nonCriticalEmails },
    })),
    onSuccess: (user) => {
      queries.setQueryData(["email-preferences"], { nonCriticalEmails: user.nonCriticalEmails });
      setWanted(undefined);
    },
  });
  if (me.organizationId === undefined) {
    return <p>{t("common.notForYou")}</p>;
  }
  const checked = wanted ?? preferences.data?.nonCriticalEmails ?? true;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(checked);
  };
  return (
    <>
      <h1>{t("settings.title")}</h1>
      {preferences.isError && <ProblemMessage error={preferences.error} />}
      {preferences.isPending && <p role="status">{t("common.loading")}</p>}
      {preferences.isSuccess && (
        <form className="card form" data-testid="email-preferences" onSubmit={submit} aria-labelledby={`${id}-title`}>
          <h2 id={`${id}-title`}>{t("settings.emails.title")}</h2>
          <p>{t("settings.emails.critical")}</p>
          <div className="field check">
            <input id={`${id}-non-critical`} type="checkbox" checked={checked}
              onChange={(event) => setWanted(event.target.checked)} aria-describedby={`${id}-hint`} />
            <label htmlFor={`${id}-non-critical`}>{t("settings.emails.nonCritical")}</label>
          </div>
          <span className="hint" id={`${id}-hint`}>{t("settings.emails.nonCriticalHint")}</span>
          {save.isError && <ProblemMessage error={save.error} />}
          {save.isSuccess && wanted === undefined && <p role="status" data-testid="email-preferences-saved">{t("settings.saved")}</p>}
          <button type="submit" className="primary" disabled={save.isPending}>{t("settings.save")}</button>
        </form>
      )}
    </>
  );
}
