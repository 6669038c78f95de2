import { useTranslation } from "react-i18next";
import LanguageSwitcher from "../components/LanguageSwitcher";

/**
 * No session: one button to the gateway's /login, which runs the code flow with Keycloak (where a first-time user
 * replaces their temporary password) and comes back to /. The sign-in pages follow the ui_locales we pass.
 */
export default function SignIn() {
  const { t, i18n } = useTranslation();
  return (
    <main id="main" className="sign-in">
      <h1>{t("app.title")}</h1>
      <p>{t("signIn.intro")}</p>
      <a className="button primary" href={`/login?ui_locales=${encodeURIComponent(i18n.language)}`}>{t("signIn.action")}</a>
      <p className="muted">{t("signIn.firstTime")}</p>
      <LanguageSwitcher />
    </main>
  );
}
