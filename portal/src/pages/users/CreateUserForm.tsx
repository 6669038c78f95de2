import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiProblem, unwrap, type Schema } from "../../api";
import ProblemMessage from "../../components/ProblemMessage";
import FieldError from "./FieldError";
import RoleFields from "./RoleFields";
import { fieldMessages, LOCALES, type Locale, type Role } from "./shared";
import type { Issued } from "./OneTimePassword";

/** A new user: name, email, roles, locations and language; the answer's temporary password goes to onCreated. */
export default function CreateUserForm({
  orgId, offered, allLocations, onCreated, onCancel,
}: {
  orgId: string;
  offered: readonly Role[];
  allLocations: readonly Schema<"IdentityLocation">[];
  onCreated: (issued: Issued) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const id = useId();
  const [email, setEmail] = useState("");
  const [firstName, setFirstName] = useState("");
  const [lastName, setLastName] = useState("");
  const [roles, setRoles] = useState<Role[]>(offered.includes("INCENTIVE_USER") ? ["INCENTIVE_USER"] : []);
  const [locations, setLocations] = useState<string[]>([]);
  const [locale, setLocale] = useState<Locale | "">("");
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/organizations/{orgId}/users", {
      params: { path: { orgId } },
      body: { email: email.trim(), firstName: firstName.trim(), lastName: lastName.trim(), roles, locations,
        ...(locale ? { locale } : {}) },
    })),
    // The temporary password is handed to the one-time panel and nowhere else: the mutation forgets its answer at once
    // (reset) and the cache keeps no finished mutation (gcTime 0).
    gcTime: 0,
    onSuccess: (created) => {
      void queries.invalidateQueries({ queryKey: ["users", orgId] });
      void queries.invalidateQueries({ queryKey: ["migration", orgId] });
      if (created.temporaryPassword) {
        onCreated({ email: created.user.email, password: created.temporaryPassword });
      }
      create.reset();
    },
  });
  const errors = create.error instanceof ApiProblem ? create.error.fieldErrors : undefined;
  const text = (field: string, label: string, value: string, set: (value: string) => void, type = "text",
    autoComplete = "off") => {
    const messages = fieldMessages(errors, field);
    return (
      <p className="field">
        <label htmlFor={`${id}-${field}`}>{label}</label>
        <input
          id={`${id}-${field}`}
          type={type}
          value={value}
          required
          autoComplete={autoComplete}
          aria-invalid={messages.length > 0 || undefined}
          aria-describedby={messages.length > 0 ? `${id}-${field}-error` : undefined}
          onChange={(event) => set(event.target.value)}
        />
        <FieldError id={`${id}-${field}-error`} messages={messages} />
      </p>
    );
  };
  const localeMessages = fieldMessages(errors, "locale");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form className="card" data-testid="create-user-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t("users.create.title")}</h2>
      {create.isError && <ProblemMessage error={create.error} />}
      {text("email", t("users.email"), email, setEmail, "email", "off")}
      {text("firstName", t("users.firstName"), firstName, setFirstName)}
      {text("lastName", t("users.lastName"), lastName, setLastName)}
      <RoleFields
        roles={roles}
        locations={locations}
        offered={offered}
        allLocations={allLocations}
        onRoles={setRoles}
        onLocations={setLocations}
        roleErrors={fieldMessages(errors, "roles")}
        locationErrors={fieldMessages(errors, "locations")}
      />
      <p className="field">
        <label htmlFor={`${id}-locale`}>{t("users.language")}</label>
        <select
          id={`${id}-locale`}
          value={locale}
          aria-describedby={`${id}-locale-hint${localeMessages.length > 0 ? ` ${id}-locale-error` : ""}`}
          onChange={(event) => setLocale(event.target.value as Locale | "")}
        >
          <option value="">{t("users.locale.none")}</option>
          {LOCALES.map((value) => <option key={value} value={value}>{t(`users.locale.${value}`)}</option>)}
        </select>
        <span id={`${id}-locale-hint`} className="muted">{t("users.localeHint")}</span>
        <FieldError id={`${id}-locale-error`} messages={localeMessages} />
      </p>
      <p className="toolbar">
        <button type="submit" className="primary" disabled={create.isPending}>{t("users.create.submit")}</button>
        <button type="button" onClick={onCancel}>{t("users.cancel")}</button>
      </p>
    </form>
  );
}
