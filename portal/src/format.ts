/**
 * Dates, numbers and money in the page's language, by Intl. Amounts come from the API as decimal strings
 * ("1234.50", "1200" for JPY): Intl formats such a string exactly (no float rounding), with the currency's own minor
 * unit (none for JPY and KRW).
 */
export function money(amount: string | undefined, currency: string | undefined, language: string): string {
  if (amount === undefined || currency === undefined) {
    return "";
  }
  const format = new Intl.NumberFormat(language, { style: "currency", currency });
  return (format.format as unknown as (value: string) => string)(amount);
}

/** Each currency's amount of a totals map ({"EUR": "10.00", "JPY": "1200"}), in the page's language. */
export function moneyMap(amounts: Record<string, string> | undefined, language: string): string[] {
  return Object.entries(amounts ?? {}).map(([currency, amount]) => money(amount, currency, language));
}

export function date(value: string | undefined, language: string): string {
  if (!value) {
    return "";
  }
  // A LocalDate ("2026-12-03") is a calendar day, not an instant: format it in UTC so no time zone moves it.
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeZone: value.length === 10 ? "UTC" : undefined })
    .format(parsed);
}

export function dateTime(value: string | undefined, language: string): string {
  return value ? new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" }).format(new Date(value)) : "";
}

/** A statement period ("2026-11") as the language writes a month: "November 2026", "2026年11月", "2026년 11월". */
export function month(period: string, language: string): string {
  const [year, monthNumber] = period.split("-").map(Number);
  if (!year || !monthNumber) {
    return period;
  }
  return new Intl.DateTimeFormat(language, { year: "numeric", month: "long", timeZone: "UTC" })
    .format(new Date(Date.UTC(year, monthNumber - 1, 1)));
}
