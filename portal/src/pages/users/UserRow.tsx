import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, ApiProblem, unwrap, type Schema } from "../../api";
import ProblemMessage from "../../components/ProblemMessage";
import { can, type Me } from "../../session";
import FieldError from "./FieldError";
import type { Issued } from "./OneTimePassword";
import RoleFields from "./RoleFields";
import { assignableRoles, fieldMessages, LOCALES, managesUsers, reaches, type Locale, type Role, type User } from "./shared";

type Panel = "roles" | "locale" | "reset" | "deactivate" | undefined;
const COLUMNS = 7;

/** One user: its data, and the changes this person may make to it, each opened below the row. */
export default function UserRow({
  me, orgId, user, allLocations, onPassword,
}: {
  me: Me;
  orgId: string;
  user: User;
  allLocations: readonly Schema<"IdentityLocation">[];
  onPassword: (issued: Issued) => void;
}) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [panel, setPanel] = useState<Panel>();
  const panelId = useId();
  const changed = () => {
    void queries.invalidateQueries({ queryKey: ["users", orgId] });
    void queries.invalidateQueries({ queryKey: ["migration", orgId] });
  };
  const path = { params: { path: { orgId, userId: user.id } } };
  // The temporary password is handed to the one-time panel and nowhere else: the mutation forgets its answer at once
  // (reset) and the cache keeps no finished mutation (gcTime 0).
  const reset = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/organizations/{orgId}/users/{userId}/password-reset", path)),
    gcTime: 0,
    onSuccess: (answer) => {
      setPanel(undefined);
      onPassword({ email: user.email, password: answer.temporaryPassword });
      reset.reset();
    },
  });
  const deactivate = useMutation({
    mutationFn: () => unwrap(api.DELETE("/api/v1/organizations/{orgId}/users/{userId}", path)),
    onSuccess: () => { setPanel(undefined); changed(); },
  });
  const reactivate = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/organizations/{orgId}/users/{userId}/reactivation", path)),
    onSuccess: changed,
  });

  const reached = reaches(me, user);
  const manages = managesUsers(me) && reached;
  const assigns = reached && (managesUsers(me) || can(me, "roles:assign") || can(me, "roles:assign-incentive"));
  const self = user.id === me.subject || (me.email !== undefined && user.email.toLowerCase() === me.email.toLowerCase());
  const open = (next: Panel) => {
    reset.reset();
    deactivate.reset();
    setPanel(panel === next ? undefined : next);
  };
  const locationNames = user.locations.map((partnerId) =>
    allLocations.find((location) => location.partnerId === partnerId)?.name ?? partnerId);

  return (
    <>
      <tr data-testid="user" data-user-email={user.email}>
        <td>{user.firstName} {user.lastName}</td>
        <td>{user.email}</td>
        <td>{user.roles.map((role) => <div key={role}>{t(`users.role.${role}`)}</div>)}</td>
        <td>{locationNames.length > 0 ? locationNames.join(", ") : <span className="muted">{t("users.allLocations")}</span>}</td>
        <td data-testid="user-status">{t(`users.status.${user.status}`)}</td>
        <td>{user.locale ? t(`users.locale.${user.locale}`) : <span className="muted">{t("users.locale.none")}</span>}</td>
        <td>
          <div className="row-actions">
            {assigns && user.status !== "DEACTIVATED" && (
              <button type="button" aria-expanded={panel === "roles"} aria-controls={panelId} onClick={() => open("roles")}>
                {t("users.actions.roles")}
              </button>
            )}
            {manages && (
              <button type="button" aria-expanded={panel === "locale"} aria-controls={panelId} onClick={() => open("locale")}>
                {t("users.actions.locale")}
              </button>
            )}
            {manages && user.status !== "DEACTIVATED" && (
              <button type="button" aria-expanded={panel === "reset"} aria-controls={panelId} onClick={() => open("reset")}>
                {t("users.actions.reset")}
              </button>
            )}
            {manages && !self && user.status !== "DEACTIVATED" && (
              <button type="button" aria-expanded={panel === "deactivate"} aria-controls={panelId} onClick={() => open("deactivate")}>
                {t("users.actions.deactivate")}
              </button>
            )}
            {manages && user.status === "DEACTIVATED" && (
              <button type="button" disabled={reactivate.isPending} onClick={() => reactivate.mutate()}>
                {t("users.actions.reactivate")}
              </button>
            )}
          </div>
          {reactivate.isError && <ProblemMessage error={reactivate.error} />}
        </td>
      </tr>
      {panel && (
        <tr className="row-panel">
          <td colSpan={COLUMNS} id={panelId}>
            {panel === "roles" && (
              <RolesForm me={me} orgId={orgId} user={user} allLocations={allLocations} onDone={() => setPanel(undefined)} />
            )}
            {panel === "locale" && <LocaleForm orgId={orgId} user={user} onDone={() => setPanel(undefined)} />}
            {panel === "reset" && (
              <div className="confirm" data-testid="reset-password-confirm">
                <p>{t("users.reset.confirm", { email: user.email })}</p>
                {reset.isError && <ProblemMessage error={reset.error} />}
                <p className="toolbar">
                  <button type="button" className="primary" disabled={reset.isPending} onClick={() => reset.mutate()}>
                    {t("users.reset.submit")}
                  </button>
                  <button type="button" onClick={() => setPanel(undefined)}>{t("users.cancel")}</button>
                </p>
              </div>
            )}
            {panel === "deactivate" && (
              <div className="confirm" data-testid="deactivate-confirm">
                <p>{t("users.deactivate.confirm", { email: user.email })}</p>
                {deactivate.isError && <ProblemMessage error={deactivate.error} />}
                <p className="toolbar">
                  <button type="button" className="danger" disabled={deactivate.isPending} onClick={() => deactivate.mutate()}>
                    {t("users.deactivate.submit")}
                  </button>
                  <button type="button" onClick={() => setPanel(undefined)}>{t("users.cancel")}</button>
                </p>
              </div>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

function RolesForm({ me, orgId, user, allLocations, onDone }: {
  me: Me; orgId: string; user: User; allLocations: readonly Schema<"IdentityLocation">[]; onDone: () => void;
}) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const id = useId();
  const [roles, setRoles] = useState<Role[]>([...user.roles]);
  const [locations, setLocations] = useState<string[]>([...user.locations]);
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT("/api/v1/organizations/{orgId}/users/{userId}/roles", {
      params: { path: { orgId, userId: user.id } },
      body: { roles, locations },
    })),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ["users", orgId] });
      void queries.invalidateQueries({ queryKey: ["migration", orgId] });
      // The person may have changed their own roles: what they may do (me.actions) follows.
      void queries.invalidateQueries({ queryKey: ["me"] });
      onDone();
    },
  });
  const errors = save.error instanceof ApiProblem ? save.error.fieldErrors : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form data-testid="user-roles-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t("users.rolesForm.title", { email: user.email })}</h2>
      {save.isError && <ProblemMessage error={save.error} />}
      <RoleFields
        roles={roles}
        locations={locations}
        offered={assignableRoles(me)}
        allLocations={allLocations}
        onRoles={setRoles}
        onLocations={setLocations}
        roleErrors={fieldMessages(errors, "roles")}
        locationErrors={fieldMessages(errors, "locations")}
      />
      <p className="toolbar">
        <button type="submit" className="primary" disabled={save.isPending}>{t("users.save")}</button>
        <button type="button" onClick={onDone}>{t("users.cancel")}</button>
      </p>
    </form>
  );
}

function LocaleForm({ orgId, user, onDone }: { orgId: string; user: User; onDone: () => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const id = useId();
  const [locale, setLocale] = useState<Locale | "">(user.locale ?? "");
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT("/api/v1/organizations/{orgId}/users/{userId}/locale", {
      params: { path: { orgId, userId: user.id } },
      body: locale ? { locale } : {},
    })),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ["users", orgId] });
      onDone();
    },
  });
  const messages = fieldMessages(save.error instanceof ApiProblem ? save.error.fieldErrors : undefined, "locale");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form data-testid="user-locale-form" onSubmit={submit}>
      {save.isError && <ProblemMessage error={save.error} />}
      <p className="field">
        <label htmlFor={`${id}-locale`}>{t("users.localeFor", { email: user.email })}</label>
        <select
          id={`${id}-locale`}
          value={locale}
          aria-describedby={`${id}-hint${messages.length > 0 ? ` ${id}-error` : ""}`}
          onChange={(event) => setLocale(event.target.value as Locale | "")}
        >
          <option value="">{t("users.locale.none")}</option>
          {LOCALES.map((value) => <option key={value} value={value}>{t(`users.locale.${value}`)}</option>)}
        </select>
        <span id={`${id}-hint`} className="muted">{t("users.localeHint")}</span>
        <FieldError id={`${id}-error`} messages={messages} />
      </p>
      <p className="toolbar">
        <button type="submit" className="primary" disabled={save.isPending}>{t("users.save")}</button>
        <button type="button" onClick={onDone}>{t("users.cancel")}</button>
      </p>
    </form>
  );
}
