import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, type Schema } from "../../api";
import FirstItemsOnly from "../../components/FirstItemsOnly";
import ProblemMessage from "../../components/ProblemMessage";
import { can, type Me } from "../../session";
import { etag, Field, isStale, useFocusOnMount, useBankProfiles, useLocations, type BankProfile } from "./shared";

type CreateBankProfile = Schema<"CreateBankProfile">;
type PayoutMethod = Schema<"PayoutMethod">;
type AccountType = NonNullable<CreateBankProfile["accountType"]>;

/**
 * Which account fields a bank country takes (payout-service README, "Bank accounts by country"): Japan's Zengin
 * account, Korea's bank code and number, a US ABA routing number and account number, elsewhere an IBAN (or an account
 * number) with a BIC.
 */
type AccountKind = "ZENGIN" | "KR_ACCOUNT" | "ABA" | "IBAN" | "ACCOUNT_NUMBER";

function kindOf(country: string, otherKind: "IBAN" | "ACCOUNT_NUMBER"): AccountKind {
  switch (country) {
    case "JP": return "ZENGIN";
    case "KR": return "KR_ACCOUNT";
    case "US": return "ABA";
    default: return otherKind;
  }
}

/** The currency a country's domestic account is paid in (the bank validation asks for action otherwise). */
const DOMESTIC_CURRENCY: Record<string, string> = { JP: "JPY", KR: "KRW", US: "USD" };

/** The organization's payment (bank) profiles, accounts masked, with adding and, for one needing action, correcting. */
export default function BankProfiles({ me, orgId }: { me: Me; orgId: string }) {
  const { t } = useTranslation();
  const profiles = useBankProfiles(orgId);
  const manage = can(me, "incentives:manage");
  const [correcting, setCorrecting] = useState<BankProfile | undefined>();
  const [corrected, setCorrected] = useState(false);
  const items = profiles.data?.items ?? [];
  return (
    <section className="card" aria-labelledby="bank-profiles">
      <h2 id="bank-profiles">{t("profiles.bank.title")}</h2>
      {profiles.isPending && <p role="status">{t("common.loading")}</p>}
      {profiles.isError && <ProblemMessage error={profiles.error} />}
      {corrected && <p role="status" className="profiles-saved">{t("profiles.bank.corrected")}</p>}
      {profiles.isSuccess && items.length === 0 && <p>{t("profiles.bank.none")}</p>}
      {items.length > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t("profiles.bank.title")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("profiles.bank.name")}</th>
                <th scope="col">{t("profiles.bank.bankCountry")}</th>
                <th scope="col">{t("profiles.bank.currency")}</th>
                <th scope="col">{t("profiles.bank.account")}</th>
                <th scope="col">{t("profiles.status")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((profile) => (
                <tr key={profile.id} data-testid="bank-profile" data-profile-id={profile.id}>
                  <td>{profile.name}<div className="muted">{profile.beneficiary}</div></td>
                  <td>{profile.bankCountry}</td>
                  <td>{profile.currency}</td>
                  <td>
                    {profile.method === "CREDIT_NOTE"
                      ? t("profiles.method.CREDIT_NOTE")
                      : <span data-testid="masked-account">{profile.maskedAccount}</span>}
                    {profile.bankCode && (
                      <div className="muted">
                        {t("profiles.bank.bankCode")} {profile.bankCode}
                        {profile.branchCode && <> · {t("profiles.bank.branchCode")} {profile.branchCode}</>}
                      </div>
                    )}
                  </td>
                  <td>
                    <span className={`badge ${profile.status === "APPROVED" ? "ok" : profile.status === "ACTION_REQUIRED" ? "no" : ""}`}
                      data-testid="bank-status" data-status={profile.status}>
                      {t(`profiles.bankStatus.${profile.status}`)}
                    </span>
                    {(profile.status === "ACTION_REQUIRED" || profile.status === "IN_REVIEW") && profile.statusReason && (
                      <p className="profiles-reason" data-testid="status-reason">{profile.statusReason}</p>
                    )}
                    {profile.status === "IN_REVIEW" && (
                      <p className="muted" data-testid="in-review-hint">{t("profiles.bank.inReview")}</p>
                    )}
                    {manage && profile.status === "ACTION_REQUIRED" && (
                      <button type="button" data-testid="correct-bank-profile"
                        onClick={() => { setCorrected(false); setCorrecting(profile); }}>
                        {t("profiles.correct")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <FirstItemsOnly page={profiles.data} />
      {manage && correcting && (
        <BankProfileForm key={`${correcting.id}:${correcting.version}`} me={me} orgId={orgId} profile={correcting}
          onDone={(saved) => { setCorrected(saved); setCorrecting(undefined); }} />
      )}
      {manage && !correcting && <BankProfileForm key="new" me={me} orgId={orgId} onDone={() => undefined} />}
    </section>
  );
}

/**
 * Adds a payment profile, or (given `profile`) corrects it with the read version's ETag, prefilled with its non-secret
 * fields (the account number or IBAN is never shown, so it is entered again).
 */
function BankProfileForm({ me, orgId, profile, onDone }: {
  me: Me;
  orgId: string;
  profile?: BankProfile;
  onDone: (saved: boolean) => void;
}) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const locations = useLocations(me);
  const form = profile ? "bank-correct" : "bank-new";
  const firstCountry = locations.data?.items?.[0]?.country ?? "";
  const [values, setValues] = useState<Record<string, string>>(() => ({
    name: profile?.name ?? "",
    bankCountry: profile?.bankCountry ?? "",
    currency: profile?.currency ?? "",
    method: profile?.method ?? "BANK_TRANSFER",
    beneficiary: profile?.beneficiary ?? "",
    iban: "",
    bic: profile?.bic ?? "",
    accountNumber: "",
    routingNumber: profile?.routingNumber ?? "",
    bankCode: profile?.bankCode ?? "",
    branchCode: profile?.branchCode ?? "",
    accountType: profile?.accountType ?? "ORDINARY",
    accountHolderKana: profile?.accountHolderKana ?? "",
  }));
  const [otherKind, setOtherKind] = useState<"IBAN" | "ACCOUNT_NUMBER">(
    profile?.accountKind === "ACCOUNT_NUMBER" ? "ACCOUNT_NUMBER" : "IBAN",
  );
  const [saved, setSaved] = useState(false);
  // Until the person types their own, the bank country is their first location's and the currency the country's own.
  const [touched, setTouched] = useState<{ bankCountry?: boolean; currency?: boolean }>(profile ? { bankCountry: true, currency: true } : {});
  const country = (touched.bankCountry ? values.bankCountry! : values.bankCountry || firstCountry).toUpperCase();
  const currency = touched.currency ? values.currency! : values.currency || DOMESTIC_CURRENCY[country] || "";
  const heading = useFocusOnMount<HTMLHeadingElement>(profile !== undefined);
  const kind = kindOf(country, otherKind);
  const transfer = values.method === "BANK_TRANSFER";
  const set = (field: string) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [field]: event.target.value }));

  /** Only the fields of the account kind: the API refuses another country's fields by name. */
  const body = (): CreateBankProfile => {
    const base: CreateBankProfile = {
      name: values.name!,
      bankCountry: country,
      currency: currency.toUpperCase(),
      method: values.method as PayoutMethod,
      beneficiary: values.beneficiary!,
    };
    if (!transfer) {
      return base;
    }
    const optional = (field: keyof CreateBankProfile) => (values[field] ? { [field]: values[field] } : {});
    switch (kind) {
      case "ZENGIN":
        return {
          ...base, bankCode: values.bankCode, branchCode: values.branchCode, accountType: values.accountType as AccountType,
          accountNumber: values.accountNumber, accountHolderKana: values.accountHolderKana, ...optional("bic"),
        };
      case "KR_ACCOUNT":
        return { ...base, bankCode: values.bankCode, accountNumber: values.accountNumber, ...optional("bic") };
      case "ABA":
        return { ...base, routingNumber: values.routingNumber, accountNumber: values.accountNumber, ...optional("bic") };
      case "IBAN":
        return { ...base, iban: values.iban, bic: values.bic };
      case "ACCOUNT_NUMBER":
        return { ...base, accountNumber: values.accountNumber, bic: values.bic };
    }
  };

  const save = useMutation({
    mutationFn: () => profile
      ? unwrap(api.PUT("/api/v1/organizations/{orgId}/payment-profiles/{profileId}", {
        params: { path: { orgId, profileId: profile.id }, header: { "If-Match": etag(profile.version) } },
        body: body(),
      }))
      : unwrap(api.POST("/api/v1/organizations/{orgId}/payment-profiles", { params: { path: { orgId } }, body: body() })),
    onSuccess: () => {
      setSaved(true);
      // The account number and IBAN are not kept in the page once sent.
      setValues((current) => ({ ...current, accountNumber: "", iban: "", ...(profile ? {} : { name: "" }) }));
      void queries.invalidateQueries({ queryKey: ["bankProfiles", orgId] });
      void queries.invalidateQueries({ queryKey: ["enrollments", orgId] });
      onDone(true);
    },
    onError: (error) => {
      setSaved(false);
      if (isStale(error)) {
        void queries.invalidateQueries({ queryKey: ["bankProfiles", orgId] });
      }
    },
  });
  const error = save.error;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    save.mutate();
  };
  const text = (field: string, label: string, extra: { hint?: string; maxLength?: number; inputMode?: "numeric" | "text"; autoComplete?: string } = {}) => (
    <Field form={form} field={field} label={label} hint={extra.hint} error={error}>
      {(props) => (
        <input {...props} value={values[field] ?? ""} onChange={set(field)} maxLength={extra.maxLength}
          inputMode={extra.inputMode} autoComplete={extra.autoComplete ?? "off"} spellCheck={false} />
      )}
    </Field>
  );

  return (
    <form className="profiles-form" data-testid={profile ? "bank-correct-form" : "bank-form"} onSubmit={submit} noValidate>
      <h3 ref={heading} tabIndex={-1}>{profile ? t("profiles.bank.correctTitle", { name: profile.name }) : t("profiles.bank.add")}</h3>
      {profile?.statusReason && <p className="profiles-reason">{profile.statusReason}</p>}
      {error && isStale(error) && <p className="problem" role="alert">{t("profiles.stale")}</p>}
      {error && !isStale(error) && <ProblemMessage error={error} />}
      {saved && !profile && <p role="status" className="profiles-saved">{t("profiles.saved")}</p>}
      {text("name", t("profiles.bank.name"), { maxLength: 100, hint: t("profiles.bank.nameHint") })}
      <Field form={form} field="bankCountry" label={t("profiles.bank.bankCountry")} hint={t("profiles.countryHint")} error={error}>
        {(props) => (
          <input {...props} value={country} maxLength={2} autoComplete="off"
            onChange={(event) => {
              setTouched((current) => ({ ...current, bankCountry: true }));
              setValues((current) => ({ ...current, bankCountry: event.target.value.toUpperCase() }));
            }} />
        )}
      </Field>
      <Field form={form} field="method" label={t("profiles.bank.method")} error={error}>
        {(props) => (
          <select {...props} value={values.method} onChange={set("method")}>
            {(["BANK_TRANSFER", "CREDIT_NOTE"] as const).map((value) => (
              <option key={value} value={value}>{t(`profiles.method.${value}`)}</option>
            ))}
          </select>
        )}
      </Field>
      <Field form={form} field="currency" label={t("profiles.bank.currency")}
        hint={DOMESTIC_CURRENCY[country] ? t("profiles.bank.currencyDomestic", { currency: DOMESTIC_CURRENCY[country] }) : t("profiles.bank.currencyHint")}
        error={error}>
        {(props) => (
          <input {...props} value={currency} maxLength={3} autoComplete="off"
            onChange={(event) => {
              setTouched((current) => ({ ...current, currency: true }));
              setValues((current) => ({ ...current, currency: event.target.value.toUpperCase() }));
            }} />
        )}
      </Field>
      {text("beneficiary", t("profiles.bank.beneficiary"), { maxLength: 140 })}
      {transfer && (
        <fieldset className="profiles-account" data-testid="bank-account-fields" data-account-kind={kind}>
          <legend>{t(`profiles.accountKind.${kind}`)}</legend>
          {profile && <p className="muted">{t("profiles.bank.reenter", { masked: profile.maskedAccount ?? "" })}</p>}
          {(kind === "IBAN" || kind === "ACCOUNT_NUMBER") && (
            <div className="profiles-field">
              <label htmlFor={`${form}-otherKind`}>{t("profiles.bank.accountFormat")}</label>
              <select id={`${form}-otherKind`} value={otherKind}
                onChange={(event) => setOtherKind(event.target.value as "IBAN" | "ACCOUNT_NUMBER")}>
                <option value="IBAN">{t("profiles.accountKind.IBAN")}</option>
                <option value="ACCOUNT_NUMBER">{t("profiles.accountKind.ACCOUNT_NUMBER")}</option>
              </select>
            </div>
          )}
          {kind === "ZENGIN" && (
            <>
              {text("bankCode", t("profiles.bank.bankCodeJp"), { maxLength: 4, inputMode: "numeric", hint: t("profiles.bank.bankCodeJpHint") })}
              {text("branchCode", t("profiles.bank.branchCode"), { maxLength: 3, inputMode: "numeric", hint: t("profiles.bank.branchCodeHint") })}
              <Field form={form} field="accountType" label={t("profiles.bank.accountType")} error={error}>
                {(props) => (
                  <select {...props} value={values.accountType} onChange={set("accountType")}>
                    {(["ORDINARY", "CURRENT"] as const).map((value) => (
                      <option key={value} value={value}>{t(`profiles.accountType.${value}`)}</option>
                    ))}
                  </select>
                )}
              </Field>
              {text("accountNumber", t("profiles.bank.accountNumber"), { maxLength: 7, inputMode: "numeric", hint: t("profiles.bank.accountNumberJpHint") })}
              {text("accountHolderKana", t("profiles.bank.accountHolderKana"), { maxLength: 30, hint: t("profiles.bank.accountHolderKanaHint") })}
              {text("bic", t("profiles.bank.bicOptional"), { maxLength: 11 })}
            </>
          )}
          {kind === "KR_ACCOUNT" && (
            <>
              {text("bankCode", t("profiles.bank.bankCodeKr"), { maxLength: 3, inputMode: "numeric", hint: t("profiles.bank.bankCodeKrHint") })}
              {text("accountNumber", t("profiles.bank.accountNumber"), { maxLength: 20, inputMode: "numeric", hint: t("profiles.bank.accountNumberKrHint") })}
              {text("bic", t("profiles.bank.bicOptional"), { maxLength: 11 })}
            </>
          )}
          {kind === "ABA" && (
            <>
              {text("routingNumber", t("profiles.bank.routingNumber"), { maxLength: 9, inputMode: "numeric", hint: t("profiles.bank.routingNumberHint") })}
              {text("accountNumber", t("profiles.bank.accountNumber"), { maxLength: 34 })}
              {text("bic", t("profiles.bank.bicOptional"), { maxLength: 11 })}
            </>
          )}
          {kind === "IBAN" && (
            <>
              {text("iban", t("profiles.bank.iban"), { maxLength: 42 })}
              {text("bic", t("profiles.bank.bic"), { maxLength: 11 })}
            </>
          )}
          {kind === "ACCOUNT_NUMBER" && (
            <>
              {text("accountNumber", t("profiles.bank.accountNumber"), { maxLength: 34 })}
              {text("bic", t("profiles.bank.bic"), { maxLength: 11 })}
            </>
          )}
        </fieldset>
      )}
      <div className="toolbar">
        <button type="submit" className="primary" disabled={save.isPending}>
          {profile ? t("profiles.saveCorrection") : t("profiles.bank.addAction")}
        </button>
        {profile && <button type="button" onClick={() => onDone(false)}>{t("profiles.cancel")}</button>}
      </div>
    </form>
  );
}
