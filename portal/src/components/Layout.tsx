import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router";
import { can, isOperator, type Me } from "../session";
import LanguageSwitcher from "./LanguageSwitcher";

/** Every signed-in screen: a skip link, the header (navigation, language, who is signed in, sign-out) and the page. */
export default function Layout({ me, children }: { me: Me; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <a className="skip-link" href="#main">{t("nav.skip")}</a>
      <header className="top">
        <span className="brand">{t("app.title")}</span>
        <nav aria-label={t("nav.label")}>
          <NavLink to="/" end>{t("nav.overview")}</NavLink>
          {me.organizationId && <NavLink to="/payments">{t("nav.payments")}</NavLink>}
          {me.organizationId && <NavLink to="/statements">{t("nav.statements")}</NavLink>}
          {(can(me, "users:manage") || can(me, "incentive-users:manage") || can(me, "roles:assign-incentive")) && <NavLink to="/users">{t("users.nav")}</NavLink>}
          {(can(me, "users:manage") || can(me, "incentives:read")) && <NavLink to="/migration">{t("migration.nav")}</NavLink>}
          {can(me, "incentives:read") && <NavLink to="/profiles">{t("profiles.nav")}</NavLink>}
          {me.organizationId && can(me, "audit-log:read") && <NavLink to="/audit-log">{t("audit.nav")}</NavLink>}
          {isOperator(me) && <NavLink to="/operations">{t("operators.nav")}</NavLink>}
          {me.organizationId && <NavLink to="/settings">{t("settings.nav")}</NavLink>}
        </nav>
        <div className="session">
          <LanguageSwitcher />
          <span className="who" data-testid="signed-in-as">{me.name ?? me.username}</span>
          {/* A full page load: the gateway ends the session here and in Keycloak, then returns to /. */}
          <a href="/logout">{t("nav.signOut")}</a>
        </div>
      </header>
      <main id="main" className="page" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
