import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap, type Schema } from "../../api";
import ProblemMessage from "../../components/ProblemMessage";
import { dateTime } from "../../format";
import { FieldError, invalidProps, words } from "./shared";

type Program = Schema<"ProgramView">;
type CriterionInput = Schema<"CriterionInput">;
type PartnerType = Schema<"PartnerType">;
type CriterionKind = Schema<"CriterionKind">;
type AgreementType = Schema<"AgreementType">;
type CompetencyLevel = Schema<"CompetencyLevel">;

const PARTNER_TYPES: PartnerType[] = ["DIRECT_BILL", "INDIRECT_PROVIDER", "INDIRECT_RESELLER"];
const KINDS: CriterionKind[] = ["AGREEMENT", "COMPETENCY", "FIRST_TRANSACTION"];
const AGREEMENT_TYPES: AgreementType[] = ["MPN", "CLOUD_DISTRIBUTOR", "RESELLER"];
const LEVELS: CompetencyLevel[] = ["SILVER", "GOLD"];

/** Every programme with its criteria in a line; one at a time opens in a form that replaces it (PUT). */
export default function Programs() {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const programs = useQuery({
    queryKey: ["programs"],
    queryFn: () => unwrap(api.GET("/api/v1/programs", { params: { query: { page: 0, size: 200, sort: "name" } } })),
  });
  const summary = (program: Program) => program.criteria.map((criterion) => [
    t(`operators.criterionKind.${criterion.kind}`),
    criterion.agreementType && t(`operators.agreementType.${criterion.agreementType}`),
    (criterion.levels ?? []).map((level) => t(`operators.level.${level}`)).join(" / "),
  ].filter(Boolean).join(": ")).join(" · ");
  const selected = programs.data?.items?.find((program) => program.id === editing);

  return (
    <section aria-labelledby="operators-programs">
      <h2 id="operators-programs">{t("operators.programs.title")}</h2>
      {programs.isPending && <p role="status">{t("common.loading")}</p>}
      {programs.isError && <ProblemMessage error={programs.error} />}
      {programs.isSuccess && (programs.data.items?.length ?? 0) === 0 && <p>{t("operators.programs.none")}</p>}
      {programs.isSuccess && (programs.data.items?.length ?? 0) > 0 && (
        <div className="table-scroll" tabIndex={0} role="region" aria-label={t("operators.programs.title")}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("operators.programs.id")}</th>
                <th scope="col">{t("operators.programs.name")}</th>
                <th scope="col">{t("operators.programs.partnerType")}</th>
                <th scope="col">{t("operators.programs.countries")}</th>
                <th scope="col">{t("operators.programs.criteria")}</th>
                <th scope="col">{t("operators.programs.active")}</th>
                <th scope="col">{t("operators.programs.updatedAt")}</th>
                <th scope="col"><span className="visually-hidden">{t("operators.programs.edit")}</span></th>
              </tr>
            </thead>
            <tbody>
              {programs.data.items!.map((program) => (
                <tr key={program.id} data-testid="program-row" data-program-id={program.id}>
                  <td><code>{program.id}</code></td>
                  <td>{program.name}</td>
                  <td>{t(`operators.partnerType.${program.partnerType}`)}</td>
                  <td>{program.countries.join(", ") || t("operators.programs.allCountries")}</td>
                  <td>{summary(program)}</td>
                  <td>{program.active ? t("operators.yes") : t("operators.no")}</td>
                  <td>{dateTime(program.updatedAt, i18n.language)}</td>
                  <td>
                    <button type="button" onClick={() => { setEditing(program.id); setSaved(undefined); }} aria-expanded={editing === program.id}
                      aria-label={t("operators.programs.editNamed", { name: program.name })}>
                      {t("operators.programs.edit")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {saved && <p role="status" data-testid="program-saved">{t("operators.programs.saved", { id: saved })}</p>}
      {selected && (
        <ProgramForm key={selected.id} program={selected}
          onDone={(savedId) => { setEditing(undefined); setSaved(savedId); }} />
      )}
    </section>
  );
}

function ProgramForm({ program, onDone }: { program: Program; onDone: (savedId?: string) => void }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const id = useId();
  const [name, setName] = useState(program.name);
  const [partnerType, setPartnerType] = useState<PartnerType>(program.partnerType);
  const [countries, setCountries] = useState(program.countries.join(", "));
  const [active, setActive] = useState(program.active);
  const [criteria, setCriteria] = useState<CriterionInput[]>(program.criteria.map((criterion) => ({
    kind: criterion.kind ?? "AGREEMENT",
    agreementType: criterion.agreementType,
    levels: criterion.levels ?? [],
  })));
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT("/api/v1/programs/{id}", {
      params: { path: { id: program.id } },
      body: {
        name,
        partnerType,
        countries: words(countries).map((country) => country.toUpperCase()),
        active,
        criteria: criteria.map((criterion) => ({
          kind: criterion.kind,
          agreementType: criterion.kind === "AGREEMENT" ? criterion.agreementType : undefined,
          levels: criterion.kind === "COMPETENCY" ? criterion.levels : undefined,
        })),
      },
    })),
    onSuccess: async () => {
      await queries.invalidateQueries({ queryKey: ["programs"] });
      await queries.invalidateQueries({ queryKey: ["eligibility"] });
      onDone(program.id);
    },
  });
  const change = (index: number, patch: Partial<CriterionInput>) =>
    setCriteria((all) => all.map((criterion, at) => (at === index ? { ...criterion, ...patch } : criterion)));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const error = save.error;

  return (
    <form className="card form" data-testid="program-form" onSubmit={submit} aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>{t("operators.programs.editing", { id: program.id })}</h3>
      {save.isError && <ProblemMessage error={error} />}
      <div className="field">
        <label htmlFor={`${id}-name`}>{t("operators.programs.name")}</label>
        <input id={`${id}-name`} value={name} required maxLength={200} onChange={(event) => setName(event.target.value)}
          {...invalidProps(error, "name", `${id}-name-error`)} />
        <FieldError id={`${id}-name-error`} error={error} field="name" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-type`}>{t("operators.programs.partnerType")}</label>
        <select id={`${id}-type`} value={partnerType} onChange={(event) => setPartnerType(event.target.value as PartnerType)}
          {...invalidProps(error, "partnerType", `${id}-type-error`)}>
          {PARTNER_TYPES.map((type) => <option key={type} value={type}>{t(`operators.partnerType.${type}`)}</option>)}
        </select>
        <FieldError id={`${id}-type-error`} error={error} field="partnerType" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-countries`}>{t("operators.programs.countries")}</label>
        <input id={`${id}-countries`} value={countries} onChange={(event) => setCountries(event.target.value)}
          {...invalidProps(error, "countries", `${id}-countries-error`, `${id}-countries-hint`)} />
        <span className="hint" id={`${id}-countries-hint`}>{t("operators.programs.countriesHint")}</span>
        <FieldError id={`${id}-countries-error`} error={error} field="countries" />
      </div>
      <div className="field check">
        <input id={`${id}-active`} type="checkbox" checked={active} onChange={(event) => setActive(event.target.checked)} />
        <label htmlFor={`${id}-active`}>{t("operators.programs.active")}</label>
      </div>
      <fieldset>
        <legend>{t("operators.programs.criteria")}</legend>
        <FieldError id={`${id}-criteria-error`} error={error} field="criteria" />
        {criteria.map((criterion, index) => {
          const base = `${id}-criterion-${index}`;
          const path = `criteria[${index}]`;
          return (
            <div key={index} className="criterion" data-testid="criterion-row">
              <div className="field">
                <label htmlFor={`${base}-kind`}>{t("operators.programs.kind", { number: index + 1 })}</label>
                <select id={`${base}-kind`} value={criterion.kind}
                  onChange={(event) => change(index, { kind: event.target.value as CriterionKind })}
                  {...invalidProps(error, `${path}.kind`, `${base}-kind-error`)}>
                  {KINDS.map((kind) => <option key={kind} value={kind}>{t(`operators.criterionKind.${kind}`)}</option>)}
                </select>
                <FieldError id={`${base}-kind-error`} error={error} field={`${path}.kind`} />
              </div>
              {criterion.kind === "AGREEMENT" && (
                <div className="field">
                  <label htmlFor={`${base}-agreement`}>{t("operators.programs.agreementType")}</label>
                  <select id={`${base}-agreement`} value={criterion.agreementType ?? ""}
                    onChange={(event) => change(index, { agreementType: (event.target.value || undefined) as AgreementType | undefined })}
                    {...invalidProps(error, `${path}.agreementType`, `${base}-agreement-error`)}>
                    <option value="">{t("operators.programs.choose")}</option>
                    {AGREEMENT_TYPES.map((type) => <option key={type} value={type}>{t(`operators.agreementType.${type}`)}</option>)}
                  </select>
                  <FieldError id={`${base}-agreement-error`} error={error} field={`${path}.agreementType`} />
                </div>
              )}
              {criterion.kind === "COMPETENCY" && (
                <fieldset className="levels">
                  <legend>{t("operators.programs.levels")}</legend>
                  {LEVELS.map((level) => (
                    <span key={level} className="check">
                      <input id={`${base}-${level}`} type="checkbox" checked={criterion.levels?.includes(level) ?? false}
                        onChange={(event) => change(index, {
                          levels: event.target.checked
                            ? [...(criterion.levels ?? []), level]
                            : (criterion.levels ?? []).filter((item) => item !== level),
                        })} />
                      <label htmlFor={`${base}-${level}`}>{t(`operators.level.${level}`)}</label>
                    </span>
                  ))}
                  <FieldError id={`${base}-levels-error`} error={error} field={`${path}.levels`} />
                </fieldset>
              )}
              <button type="button" onClick={() => setCriteria((all) => all.filter((_, at) => at !== index))}
                aria-label={t("operators.programs.removeCriterionNumber", { number: index + 1 })}>
                {t("operators.remove")}
              </button>
            </div>
          );
        })}
        {criteria.length < 20 && (
          <button type="button" onClick={() => setCriteria((all) => [...all, { kind: "AGREEMENT", levels: [] }])}>
            {t("operators.programs.addCriterion")}
          </button>
        )}
      </fieldset>
      <div className="toolbar">
        <button type="submit" className="primary" disabled={save.isPending}>{t("operators.save")}</button>
        <button type="button" onClick={() => onDone()}>{t("operators.cancel")}</button>
      </div>
    </form>
  );
}
