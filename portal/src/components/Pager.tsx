import { useTranslation } from "react-i18next";

/** Previous and next page of a paged list, with "page n of m"; {@code label} names the list for screen readers. */
export default function Pager({ page, totalPages, onPage, label }: {
  page: number;
  totalPages: number | undefined;
  onPage: (page: number) => void;
  label: string;
}) {
  const { t } = useTranslation();
  const total = Math.max(1, totalPages ?? 1);
  return (
    <nav className="toolbar" aria-label={label}>
      <button type="button" disabled={page === 0} onClick={() => onPage(page - 1)}>{t("operators.organizations.previous")}</button>
      <span>{t("operators.organizations.page", { page: page + 1, total })}</span>
      <button type="button" disabled={page + 1 >= total} onClick={() => onPage(page + 1)}>
        {t("operators.organizations.next")}
      </button>
    </nav>
  );
}
