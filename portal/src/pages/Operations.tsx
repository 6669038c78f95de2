import { useTranslation } from "react-i18next";
import { Navigate, NavLink, Route, Routes } from "react-router";
import { isOperator, type Me } from "../session";
import { OperatorsAuditLog } from "./AuditLog";
import BankProfileReviews from "./operations/BankProfileReviews";
import ExchangeRates from "./operations/ExchangeRates";
import HeldPayments from "./operations/HeldPayments";
import Organizations, { OrganizationDetail } from "./operations/Organizations";
import PayoutRuns, { PayoutRunDetail } from "./operations/PayoutRuns";
import Programs from "./operations/Programs";
import Waves, { WaveDetail } from "./operations/Waves";

/**
 * The programme operators' screens (PROGRAM_OPERATOR, no organization): the organizations, programmes, a month's
 * exchange rates, payout runs, held payments, bank profiles in review and migration waves, each at its own address
 * under /operations.
 */
export default function Operations({ me }: { me: Me }) {
  const { t } = useTranslation();
  if (!isOperator(me)) {
    return <p>{t("common.notForYou")}</p>;
  }
  return (
    <>
      <h1>{t("operators.title")}</h1>
      <nav className="subnav" aria-label={t("operators.sections")}>
        <NavLink to="/operations/organizations">{t("operators.organizations.title")}</NavLink>
        <NavLink to="/operations/programs">{t("operators.programs.title")}</NavLink>
        <NavLink to="/operations/exchange-rates">{t("operators.rates.title")}</NavLink>
        <NavLink to="/operations/payout-runs">{t("operators.runs.title")}</NavLink>
        <NavLink to="/operations/held-payments">{t("operators.held.title")}</NavLink>
        <NavLink to="/operations/bank-profile-reviews">{t("operators.reviews.title")}</NavLink>
        <NavLink to="/operations/waves">{t("operators.waves.title")}</NavLink>
      </nav>
      <Routes>
        <Route index element={<Navigate to="programs" replace />} />
        <Route path="organizations" element={<Organizations />} />
        <Route path="organizations/:orgId" element={<OrganizationDetail />} />
        <Route path="organizations/:orgId/audit-log" element={<OperatorsAuditLog />} />
        <Route path="programs" element={<Programs />} />
        <Route path="exchange-rates" element={<ExchangeRates />} />
        <Route path="payout-runs" element={<PayoutRuns />} />
        <Route path="payout-runs/:runId" element={<PayoutRunDetail />} />
        <Route path="held-payments" element={<HeldPayments />} />
        <Route path="bank-profile-reviews" element={<BankProfileReviews />} />
        <Route path="waves" element={<Waves />} />
        <Route path="waves/:waveId" element={<WaveDetail />} />
        <Route path="*" element={<Navigate to="programs" replace />} />
      </Routes>
    </>
  );
}
