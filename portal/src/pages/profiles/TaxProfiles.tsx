import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, type Schema } from "../../api";
import FirstItemsOnly from "../../components/FirstItemsOnly";
import ProblemMessage from "../../components/ProblemMessage";
import { date } from "../../format";
import { can, type Me } from "../../session";
import { etag, Field, isStale, useFocusOnMount, useLocationName, useLocations, useTaxProfiles, type TaxProfile } from "./shared";

type TaxForm = Schema<"TaxForm">;
const TAX_FORMS: readonly TaxForm[] = ["W9", "W8BEN", "W8BENE", "NONE"];

/** The organization's tax profiles (a location's newest is its current one), with adding and correcting. */
export default function TaxProfiles({ me, orgId }: { me: Me; orgId: string }) {
  const { t, i18n } = useTranslation();
  const profiles = useTaxProfiles(orgId);
  const locationName = useLocationName(me);
  const manage = can(me, "incentives:manage");
  const [correcting, setCorrecting] = useState<TaxProfile | undefined>();
  const [corrected, setCorrected] = useState(false);
  const items = profiles.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="tax-profiles">
      <h2 id="tax-profiles">{t("profiles.tax.title")}</h2>
      {profiles.isPending && <p role="status">{t("common.loading")}</p>}
      {profiles.isError && <ProblemMessage error={profiles.error} />}
      {corrected && <p role="status" className="profiles-saved">{t("profiles.saved")}</p>}
      {profiles.isSuccess && items.length === 0 && <p>{t("profiles.tax.none")}</p>}
      {items.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t("profiles.tax.title")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("profiles.location")}</th>
                <th scope="col">{t("profiles.country")}</th>
                <th scope="col">{t("profiles.tax.taxForm")}</th>
                <th scope="col">{t("profiles.tax.taxId")}</th>
                <th scope="col">{t("profiles.tax.expiresOn")}</th>
                <th scope="col">{t("profiles.status")}</th>
                {manage && <th scope="col"><span className="visually-hidden">{t("profiles.actions")}</span></th>}
              </tr>
            </thead>
            <tbody>
              {items.map((profile) => (
                <tr key={profile.id} data-testid="tax-profile" data-profile-id={profile.id}>
                  <td>{locationName(profile.partnerId)}</td>
                  <td>{profile.country}</td>
                  <td>{t(`profiles.taxForm.${profile.taxForm}`)}</td>
                  <td>{profile.taxId}</td>
                  <td>{date(profile.expiresOn, i18n.language)}</td>
                  <td>
                    <span className={`badge ${profile.status === "VALID" ? "ok" : "no"}`}>
                      {t(`profiles.taxStatus.${profile.status}`)}
                    </span>
                  </td>
                  {manage && (
                    <td>
                      <button type="button" data-testid="correct-tax-profile" onClick={() => { setCorrected(false); setCorrecting(profile); }}>
                        {t("profiles.correct")}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FirstItemsOnly page={profiles.data} />
      {manage && correcting && (
        <TaxProfileForm key={`${correcting.id}:${correcting.version}`} me={me} orgId={orgId} profile={correcting}
          onDone={(saved) => { setCorrected(saved); setCorrecting(undefined); }} />
      )}
      {manage && !correcting && <TaxProfileForm key="new" me={me} orgId={orgId} onDone={() => undefined} />}
    </section>
  );
}

/** Adds a tax profile, or (given `profile`) corrects it: its next version, sent with the read version's ETag. */
function TaxProfileForm({ me, orgId, profile, onDone }: {
  me: Me;
  orgId: string;
  profile?: TaxProfile;
  onDone: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const locations = useLocations(me);
  const visible = (locations.data?.items ?? []).filter(
    (location) => (me.locations ?? []).length === 0 || me.locations!.includes(location.partnerId),
  );
  const form = profile ? "tax-correct" : "tax-new";
  const [partnerId, setPartnerId] = useState(profile?.partnerId ?? "");
  const [country, setCountry] = useState(profile?.country ?? "");
  const [taxForm, setTaxForm] = useState<TaxForm | "">(profile?.taxForm ?? "");
  const [taxId, setTaxId] = useState(profile?.taxId ?? "");
  const [expiresOn, setExpiresOn] = useState(profile?.expiresOn ?? "");
  const [saved, setSaved] = useState(false);
  const heading = useFocusOnMount<HTMLHeadingElement>(profile !== undefined);

  const save = useMutation({
    mutationFn: () => {
      const body = { country, taxForm: taxForm as TaxForm, taxId, expiresOn };
      return profile
        ? unwrap(api.PUT("/api/v1/organizations/{orgId}/tax-profiles/{profileId}", {
          params: { path: { orgId, profileId: profile.id }, header: { "If-Match": etag(profile.version) } },
          body,
        }))
        : unwrap(api.POST("/api/v1/organizations/{orgId}/tax-profiles", {
          params: { path: { orgId } },
          body: { ...body, partnerId },
        }));
    },
    onSuccess: () => {
      setSaved(true);
      if (!profile) {
        setTaxId("");
        setExpiresOn("");
      }
      void queries.invalidateQueries({ queryKey: ["taxProfiles", orgId] });
      void queries.invalidateQueries({ queryKey: ["enrollments", orgId] });
      onDone(true);
    },
    onError: (error) => {
      setSaved(false);
      if (isStale(error)) {
        void queries.invalidateQueries({ queryKey: ["taxProfiles", orgId] });
      }
    },
  });
  const error = save.error;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  };

  return (
    <form className="profiles-form" data-testid={profile ? "tax-correct-form" : "tax-form"} onSubmit={submit} noValidate>
      <h3 ref={heading} tabIndex={-1}>{profile ? t("profiles.tax.correctTitle", { id: profile.partnerId }) : t("profiles.tax.add")}</h3>
      {error && isStale(error) && <p className="problem" role="alert">{t("profiles.stale")}</p>}
      {error && !isStale(error) && <ProblemMessage error={error} />}
      {saved && !profile && <p role="status" className="profiles-saved">{t("profiles.saved")}</p>}
      {!profile && (
        <Field form={form} field="partnerId" label={t("profiles.location")} error={error}>
          {(props) => (
            <select {...props} required value={partnerId} onChange={(event) => {
              setPartnerId(event.target.value);
              const chosen = visible.find((location) => location.partnerId === event.target.value);
              if (chosen && !country) {
                setCountry(chosen.country);
              }
            }}>
              <option value="">{t("profiles.choose")}</option>
              {visible.map((location) => (
                <option key={location.partnerId} value={location.partnerId}>{location.name} ({location.partnerId})</option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field form={form} field="country" label={t("profiles.country")} hint={t("profiles.countryHint")} error={error}>
        {(props) => (
          <input {...props} required value={country} maxLength={2} autoComplete="country"
            onChange={(event) => setCountry(event.target.value.toUpperCase())} />
        )}
      </Field>
      <Field form={form} field="taxForm" label={t("profiles.tax.taxForm")} error={error}>
        {(props) => (
          <select {...props} required value={taxForm} onChange={(event) => setTaxForm(event.target.value as TaxForm)}>
            <option value="">{t("profiles.choose")}</option>
            {TAX_FORMS.map((value) => <option key={value} value={value}>{t(`profiles.taxForm.${value}`)}</option>)}
          </select>
        )}
      </Field>
      <Field form={form} field="taxId" label={t("profiles.tax.taxId")} error={error}>
        {(props) => <input {...props} required value={taxId} maxLength={40} onChange={(event) => setTaxId(event.target.value)} />}
      </Field>
      <Field form={form} field="expiresOn" label={t("profiles.tax.expiresOn")} error={error}>
        {(props) => <input {...props} type="date" required value={expiresOn} onChange={(event) => setExpiresOn(event.target.value)} />}
      </Field>
      <div className="toolbar">
        <button type="submit" className="primary" disabled={save.isPending}>
          {profile ? t("profiles.saveCorrection") : t("profiles.tax.addAction")}
        </button>
        {profile && <button type="button" onClick={() => onDone(false)}>{t("profiles.cancel")}</button>}
      </div>
    </form>
  );
}
