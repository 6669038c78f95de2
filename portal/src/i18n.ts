import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import en from "./locales/en.json";

/** The portal's languages; every key exists in each (test/locales.test.mjs fails the build otherwise). */
export const LANGUAGES = ["ja", "ko", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = "incentives.language";

/** The person's choice if they made one here, else the browser's first language the portal speaks, else English. */
export function initialLanguage(
  stored: string | null = safeStorage()?.getItem(STORAGE_KEY) ?? null,
  preferred: readonly string[] = navigator.languages ?? [navigator.language],
): Language {
  const supported = (tag: string | null | undefined): Language | undefined => {
    const primary = tag?.toLowerCase().split("-")[0];
    return LANGUAGES.find((language) => language === primary);
  };
  return supported(stored) ?? preferred.map(supported).find((language) => language !== undefined) ?? "en";
}

/**
 * English is in the main bundle (every text falls back to it); Japanese and Korean are files of their own, fetched
 * when chosen, so nobody downloads the two languages they do not read.
 */
const LOADERS: Record<Exclude<Language, "en">, () => Promise<{ default: Record<string, unknown> }>> = {
  ja: () => import("./locales/ja.json"),
  ko: () => import("./locales/ko.json"),
};

/** Makes the language's texts available (fetching them once), then switches to it. */
export async function loadLanguage(language: Language): Promise<void> {
  if (language !== "en" && !i18n.hasResourceBundle(language, "translation")) {
    const texts = await LOADERS[language]();
    i18n.addResourceBundle(language, "translation", texts.default);
  }
  await i18n.changeLanguage(language);
}

/** Switches the portal's language and remembers it in this browser. */
export async function chooseLanguage(language: Language): Promise<void> {
  safeStorage()?.setItem(STORAGE_KEY, language);
  await loadLanguage(language);
}

function safeStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage disabled: the choice lasts for this page only
  }
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en } },
  lng: "en", // main.tsx switches to initialLanguage() once its texts are here, before the first render
  partialBundledLanguages: true,
  fallbackLng: "en",
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});

// Screen readers, fonts and line breaking follow the page's language.
const setDocumentLanguage = (language: string) => {
  document.documentElement.lang = language;
  document.title = i18n.t("app.title");
};
setDocumentLanguage(i18n.language);
i18n.on("languageChanged", setDocumentLanguage);

export default i18n;
