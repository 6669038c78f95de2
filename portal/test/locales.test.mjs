// The portal's texts: every key in ja, ko and en; every key the code names exists; every value of the contract's
// enums the portal translates has a text. Run by `npm test` (node:test), so by the Maven build.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const root = new URL("..", import.meta.url).pathname;
const read = (path) => JSON.parse(readFileSync(join(root, path), "utf8"));
const LANGUAGES = ["en", "ja", "ko"];
const bundles = Object.fromEntries(LANGUAGES.map((language) => [language, read(`src/locales/${language}.json`)]));

/** Flattened keys; i18next's plural forms (key_one, key_other) count as the one key they are forms of. */
function keys(bundle, prefix = "") {
  return Object.entries(bundle).flatMap(([key, value]) =>
    typeof value === "object" ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`.replace(/_(zero|one|two|few|many|other)$/, "")]);
}
const keySets = Object.fromEntries(LANGUAGES.map((language) => [language, new Set(keys(bundles[language]))]));

test("every text exists in ja, ko and en", () => {
  const all = new Set(LANGUAGES.flatMap((language) => [...keySets[language]]));
  for (const language of LANGUAGES) {
    const missing = [...all].filter((key) => !keySets[language].has(key));
    assert.deepEqual(missing, [], `missing in ${language}.json`);
  }
});

test("no text is empty", () => {
  for (const language of LANGUAGES) {
    const flat = (bundle) => Object.values(bundle).flatMap((value) => (typeof value === "object" ? flat(value) : [value]));
    assert.ok(flat(bundles[language]).every((value) => typeof value === "string" && value.trim() !== ""), language);
  }
});

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

test("every key the code names literally has a text", () => {
  const named = sources(join(root, "src")).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(/\bt\(\s*"([a-zA-Z0-9_.]+)"/g)].map((match) => match[1]));
  assert.ok(named.length > 20, "the scan finds the code's t(\"...\") calls");
  const unknown = [...new Set(named)].filter((key) => !keySets.en.has(key));
  assert.deepEqual(unknown, []);
});

test("every value of the contract's enums shown to people has a text", () => {
  const schemas = read("../docs/openapi.json").components.schemas;
  const translated = {
    holdReason: schemas.HoldReason.enum,
    enrollmentStatus: schemas.EnrollmentStatus.enum,
    invitationStatus: schemas.InvitationStatus.enum,
    requiredAction: schemas.RequiredAction.enum,
    paymentStatus: schemas.PaymentView.properties.status.enum,
    "users.role": schemas.OrganizationRole.enum,
    "users.status": schemas.UserStatus.enum,
    "users.locale": schemas.UserView.properties.locale.enum,
    "migration.status": schemas.MigrationStatus.enum,
    "profiles.taxForm": schemas.TaxForm.enum,
    "profiles.taxStatus": schemas.TaxProfileView.properties.status.enum,
    "profiles.bankStatus": schemas.BankProfileStatus.enum,
    "profiles.method": schemas.PayoutMethod.enum,
    "profiles.accountType": schemas.BankProfileView.properties.accountType.enum,
    "profiles.accountKind": schemas.BankProfileView.properties.accountKind.enum,
    "operators.partnerType": schemas.PartnerType.enum,
    "operators.criterionKind": schemas.CriterionKind.enum,
    "operators.agreementType": schemas.AgreementType.enum,
    "operators.level": schemas.CompetencyLevel.enum,
    "operators.migrationStatus": schemas.MigrationStatus.enum,
    "operators.role": schemas.IncentiveRole.enum,
    "operators.bankFileState": schemas.BankFile.properties.state.enum,
    "operators.reviewReason": schemas.ReviewReason.enum,
  };
  for (const [prefix, values] of Object.entries(translated)) {
    assert.ok(Array.isArray(values) && values.length > 0, `${prefix}: the contract lists its values`);
    const missing = values.filter((value) => !keySets.en.has(`${prefix}.${value}`));
    assert.deepEqual(missing, [], `${prefix}`);
  }
});
