import { useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { chooseLanguage, LANGUAGES, type Language } from "../i18n";

/** Each language named in itself, so a person who cannot read the current one still finds theirs. */
const NAMES: Record<Language, string> = { ja: "日本語", ko: "한국어", en: "English" };

export default function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const queries = useQueryClient();
  const id = useId();
  return (
    <span className="language">
      <label htmlFor={id}>{t("nav.language")}</label>
      <select
        id={id}
        value={i18n.language}
        onChange={(event) => {
          // Answers carry texts in the language they were asked in (hold reasons, criteria, problems): ask again.
          void chooseLanguage(event.target.value as Language).then(() => queries.invalidateQueries());
        }}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language} lang={language}>{NAMES[language]}</option>
        ))}
      </select>
    </span>
  );
}
