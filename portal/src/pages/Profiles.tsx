import { useTranslation } from "react-i18next";
import { can, type Me } from "../session";
import Assignments from "./profiles/Assignments";
import BankProfiles from "./profiles/BankProfiles";
import TaxProfiles from "./profiles/TaxProfiles";

/**
 * The organization's tax and payment (bank) profiles and, per enrolment, which of them its payments use. Readers see
 * the lists; people who manage incentives also add, correct and assign.
 */
export default function Profiles({ me }: { me: Me }) {
  const { t } = useTranslation();
  const orgId = me.organizationId;
  if (orgId === undefined || !can(me, "incentives:read")) {
    return <p>{t("common.notForYou")}</p>;
  }
  return (
    <>
      <h1>{t("profiles.title")}</h1>
      <p className="muted">{t("profiles.intro")}</p>
      <TaxProfiles me={me} orgId={orgId} />
      <BankProfiles me={me} orgId={orgId} />
      <Assignments me={me} orgId={orgId} />
    </>
  );
}
