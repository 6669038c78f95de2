import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";
import { api, unwrap, type Schema } from "../../api";
import ProblemMessage from "../../components/ProblemMessage";
import { date, dateTime } from "../../format";
import { FieldError, invalidProps } from "./shared";

type MigrationStatus = Schema<"MigrationStatus">;
type IncentiveRole = Schema<"IncentiveRole">;
type UserInput = Schema<"ListedUserInput">;
type EnrollmentInput = Schema<"CarriedEnrollmentInput">;
type OrganizationInput = { organizationId: string; users: UserInput[]; enrollments: EnrollmentInput[] };

const STATUSES: MigrationStatus[] = ["SCHEDULED", "NOTIFIED", "USERS_SET_UP", "COMPLETED"];
const ROLES: IncentiveRole[] = ["INCENTIVE_ADMIN", "INCENTIVE_USER"];
const emptyUser = (): UserInput => ({ email: "", firstName: "", lastName: "", role: "INCENTIVE_ADMIN" });
const emptyOrganization = (): OrganizationInput => ({ organizationId: "", users: [emptyUser()], enrollments: [] });

/** The migration waves (organizations moved from the former system on a date), and a form to schedule one. */
export default function Waves() {
  const { t, i18n } = useTranslation();
  const waves = useQuery({
    queryKey: ["migration-waves"],
    queryFn: () => unwrap(api.GET("/api/v1/migration-waves", { params: { query: { page: 0, size: 200, sort: "startsAt,desc" } } })),
  });
  return (
    <section aria-labelledby="operators-waves">
      <h2 id="operators-waves">{t("operators.waves.title")}</h2>
      {waves.isPending && <p role="status">{t("common.loading")}</p>}
      {waves.isError && <ProblemMessage error={waves.error} />}
      {waves.isSuccess && (waves.data.items?.length ?? 0) === 0 && <p>{t("operators.waves.none")}</p>}
      {waves.isSuccess && (waves.data.items?.length ?? 0) > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t("operators.waves.title")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("operators.waves.name")}</th>
                <th scope="col">{t("operators.waves.startsAt")}</th>
                <th scope="col" className="number">{t("operators.waves.organizations")}</th>
                <th scope="col">{t("operators.waves.statuses")}</th>
                <th scope="col">{t("operators.waves.createdBy")}</th>
              </tr>
            </thead>
            <tbody>
              {waves.data.items!.map((wave) => (
                <tr key={wave.id} data-testid="wave-row" data-wave-id={wave.id}>
                  <td><Link to={`/operations/waves/${wave.id}`}>{wave.name}</Link></td>
                  <td>{dateTime(wave.startsAt, i18n.language)}</td>
                  <td className="number">{wave.organizations.toLocaleString(i18n.language)}</td>
                  <td>
                    {STATUSES.filter((status) => (wave.statuses[status] ?? 0) > 0).map((status) => (
                      <div key={status}>{t(`operators.migrationStatus.${status}`)}: {wave.statuses[status]!.toLocaleString(i18n.language)}</div>
                    ))}
                  </td>
                  <td>{wave.createdBy}<div className="muted">{dateTime(wave.createdAt, i18n.language)}</div></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <WaveForm />
    </section>
  );
}

function WaveForm() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const navigate = useNavigate();
  const id = useId();
  const [name, setName] = useState("");
  const [startsAt, setStartsAt] = useState("");
  const [organizations, setOrganizations] = useState<OrganizationInput[]>([emptyOrganization()]);
  const [idempotencyKey, setIdempotencyKey] = useState(() => crypto.randomUUID());
  const create = useMutation({
    mutationFn: () => unwrap(api.POST("/api/v1/migration-waves", {
      params: { header: { "Idempotency-Key": idempotencyKey } },
      body: {
        name,
        // datetime-local is the browser's local time: sent as the instant it names.
        startsAt: startsAt ? new Date(startsAt).toISOString() : "",
        organizations: organizations.map((organization) => ({
          organizationId: organization.organizationId.trim(),
          users: organization.users.map((user) => ({ ...user, email: user.email.trim() })),
          enrollments: organization.enrollments.map((enrollment) => ({
            partnerId: enrollment.partnerId.trim(),
            programId: enrollment.programId.trim(),
            earningsStartDate: enrollment.earningsStartDate || undefined,
          })),
        })),
      },
    })),
    onSuccess: async (wave) => {
      setIdempotencyKey(crypto.randomUUID());
      await queries.invalidateQueries({ queryKey: ["migration-waves"] });
      void navigate(`/operations/waves/${wave.id}`);
    },
  });
  const edit = <T,>(update: (value: T) => void) => (value: T) => {
    setIdempotencyKey(crypto.randomUUID());
    update(value);
  };
  const changeOrganization = edit((args: { index: number; patch: Partial<OrganizationInput> }) =>
    setOrganizations((all) => all.map((organization, at) => (at === args.index ? { ...organization, ...args.patch } : organization))));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const error = create.error;
  const field = (path: string, label: string, value: string, onChange: (value: string) => void, type = "text") => {
    const inputId = `${id}-${path}`;
    return (
      <div className="field">
        <label htmlFor={inputId}>{label}</label>
        <input id={inputId} type={type} value={value} onChange={(event) => onChange(event.target.value)}
          {...invalidProps(error, path, `${inputId}-error`)} />
        <FieldError id={`${inputId}-error`} error={error} field={path} />
      </div>
    );
  };

  return (
    <form className="card form" data-testid="wave-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t("operators.waves.create")}</h3>
      {create.isError && <ProblemMessage error={error} />}
      {field("name", t("operators.waves.name"), name, edit(setName))}
      {field("startsAt", t("operators.waves.startsAt"), startsAt, edit(setStartsAt), "datetime-local")}
      <FieldError id={`${id}-organizations-error`} error={error} field="organizations" />
      {organizations.map((organization, index) => {
        const path = `organizations[${index}]`;
        return (
          <fieldset key={index} className="wave-organization" data-testid="wave-organization">
            <legend>{t("operators.waves.organizationNumber", { number: index + 1 })}</legend>
            {field(`${path}.organizationId`, t("operators.waves.organizationId"), organization.organizationId,
              (value) => changeOrganization({ index, patch: { organizationId: value } }))}
            <FieldError id={`${id}-${path}-users-error`} error={error} field={`${path}.users`} />
            {organization.users.map((user, userIndex) => {
              const userPath = `${path}.users[${userIndex}]`;
              const setUser = (patch: Partial<UserInput>) => changeOrganization({
                index,
                patch: { users: organization.users.map((item, at) => (at === userIndex ? { ...item, ...patch } : item)) },
              });
              const roleId = `${id}-${userPath}.role`;
              return (
                <fieldset key={userIndex} className="nested" data-testid="wave-user">
                  <legend>{t("operators.waves.userNumber", { number: userIndex + 1 })}</legend>
                  {field(`${userPath}.email`, t("operators.waves.email"), user.email, (value) => setUser({ email: value }), "email")}
                  {field(`${userPath}.firstName`, t("operators.waves.firstName"), user.firstName, (value) => setUser({ firstName: value }))}
                  {field(`${userPath}.lastName`, t("operators.waves.lastName"), user.lastName, (value) => setUser({ lastName: value }))}
                  <div className="field">
                    <label htmlFor={roleId}>{t("operators.waves.role")}</label>
                    <select id={roleId} value={user.role} onChange={(event) => setUser({ role: event.target.value as IncentiveRole })}
                      {...invalidProps(error, `${userPath}.role`, `${roleId}-error`)}>
                      {ROLES.map((role) => <option key={role} value={role}>{t(`operators.role.${role}`)}</option>)}
                    </select>
                    <FieldError id={`${roleId}-error`} error={error} field={`${userPath}.role`} />
                  </div>
                  {organization.users.length > 1 && (
                    <button type="button" onClick={() => changeOrganization({
                      index, patch: { users: organization.users.filter((_, at) => at !== userIndex) },
                    })}>
                      {t("operators.waves.removeUser", { number: userIndex + 1 })}
                    </button>
                  )}
                </fieldset>
              );
            })}
            <button type="button" onClick={() => changeOrganization({ index, patch: { users: [...organization.users, emptyUser()] } })}>
              {t("operators.waves.addUser")}
            </button>
            {organization.enrollments.map((enrollment, enrollmentIndex) => {
              const enrollmentPath = `${path}.enrollments[${enrollmentIndex}]`;
              const setEnrollment = (patch: Partial<EnrollmentInput>) => changeOrganization({
                index,
                patch: {
                  enrollments: organization.enrollments.map((item, at) => (at === enrollmentIndex ? { ...item, ...patch } : item)),
                },
              });
              return (
                <fieldset key={enrollmentIndex} className="nested" data-testid="wave-enrollment">
                  <legend>{t("operators.waves.enrollmentNumber", { number: enrollmentIndex + 1 })}</legend>
                  {field(`${enrollmentPath}.partnerId`, t("operators.waves.partnerId"), enrollment.partnerId,
                    (value) => setEnrollment({ partnerId: value }))}
                  {field(`${enrollmentPath}.programId`, t("operators.waves.programId"), enrollment.programId,
                    (value) => setEnrollment({ programId: value }))}
                  {field(`${enrollmentPath}.earningsStartDate`, t("operators.waves.earningsStartDate"), enrollment.earningsStartDate ?? "",
                    (value) => setEnrollment({ earningsStartDate: value }), "date")}
                  <button type="button" onClick={() => changeOrganization({
                    index, patch: { enrollments: organization.enrollments.filter((_, at) => at !== enrollmentIndex) },
                  })}>
                    {t("operators.waves.removeEnrollment", { number: enrollmentIndex + 1 })}
                  </button>
                </fieldset>
              );
            })}
            <button type="button" onClick={() => changeOrganization({
              index, patch: { enrollments: [...organization.enrollments, { partnerId: "", programId: "" }] },
            })}>
              {t("operators.waves.addEnrollment")}
            </button>
            {organizations.length > 1 && (
              <button type="button" onClick={edit(() => setOrganizations((all) => all.filter((_, at) => at !== index)))}>
                {t("operators.waves.removeOrganization", { number: index + 1 })}
              </button>
            )}
          </fieldset>
        );
      })}
      <div className="toolbar">
        <button type="button" onClick={edit(() => setOrganizations((all) => [...all, emptyOrganization()]))}>
          {t("operators.waves.addOrganization")}
        </button>
        <button type="submit" className="primary" disabled={create.isPending}>{t("operators.waves.createAction")}</button>
      </div>
    </form>
  );
}

/** One wave: each organization's migration state, its listed users (set up, activated), carried enrolments, history. */
export function WaveDetail() {
  const { t, i18n } = useTranslation();
  const { waveId = "" } = useParams();
  const wave = useQuery({
    queryKey: ["migration-wave", waveId],
    queryFn: () => unwrap(api.GET("/api/v1/migration-waves/{waveId}", { params: { path: { waveId } } })),
  });
  const data = wave.data;
  return (
    <section aria-labelledby="operators-wave">
      <h2 id="operators-wave">{data?.name ?? t("operators.waves.wave")}</h2>
      <p><Link to="/operations/waves">{t("operators.waves.back")}</Link></p>
      {wave.isPending && <p role="status">{t("common.loading")}</p>}
      {wave.isError && <ProblemMessage error={wave.error} />}
      {data && (
        <>
          <dl className="totals">
            <div><dt>{t("operators.waves.startsAt")}</dt><dd>{dateTime(data.startsAt, i18n.language)}</dd></div>
            <div><dt>{t("operators.waves.createdBy")}</dt><dd>{data.createdBy}</dd></div>
            <div><dt>{t("operators.waves.createdAt")}</dt><dd>{dateTime(data.createdAt, i18n.language)}</dd></div>
          </dl>
          {data.organizations.map((organization) => (
            <section key={organization.organizationId} className="card" data-testid="wave-organization-row"
              aria-labelledby={`org-${organization.organizationId}`}>
              <h3 id={`org-${organization.organizationId}`}>
                <code>{organization.organizationId}</code>{" "}
                <span className="badge" data-testid="migration-status">{t(`operators.migrationStatus.${organization.status}`)}</span>
              </h3>
              {organization.notifiedAt && <p>{t("operators.waves.notifiedAt", { date: dateTime(organization.notifiedAt, i18n.language) })}</p>}
              {organization.completedAt && <p>{t("operators.waves.completedAt", { date: dateTime(organization.completedAt, i18n.language) })}</p>}
              <div className="table-scroll" tabIndex={0} role="region" aria-label={t("operators.waves.users")}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("operators.waves.user")}</th>
                      <th scope="col">{t("operators.waves.role")}</th>
                      <th scope="col">{t("operators.waves.setUp")}</th>
                      <th scope="col">{t("operators.waves.activated")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {organization.users.map((user) => (
                      <tr key={user.email} data-testid="wave-user-row">
                        <td>
                          {t("operators.waves.fullName", { first: user.firstName, last: user.lastName })}
                          <div className="muted">{user.email}</div>
                          {user.problem && <div className="field-error">{user.problem}</div>}
                        </td>
                        <td>{t(`operators.role.${user.role}`)}</td>
                        <td>{user.setUp ? t("operators.yes") : t("operators.no")}</td>
                        <td>{user.activated ? t("operators.yes") : t("operators.no")}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {organization.enrollments.length > 0 && (
                <>
                  <h4>{t("operators.waves.enrollments")}</h4>
                  <ul>
                    {organization.enrollments.map((enrollment) => (
                      <li key={`${enrollment.partnerId}:${enrollment.programId}`}>
                        {enrollment.partnerId} · {enrollment.programId}
                        {enrollment.earningsStartDate && ` · ${t("operators.waves.earningsFrom", { date: date(enrollment.earningsStartDate, i18n.language) })}`}
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {organization.history.length > 0 && (
                <details>
                  <summary>{t("operators.waves.history")}</summary>
                  <ul>
                    {organization.history.map((entry, index) => (
                      <li key={index}>
                        {dateTime(entry.changedAt, i18n.language)}: {t(`operators.migrationStatus.${entry.toStatus}`)}
                        {entry.changedBy && ` (${entry.changedBy})`}{entry.reason && ` — ${entry.reason}`}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </section>
          ))}
        </>
      )}
    </section>
  );
}
