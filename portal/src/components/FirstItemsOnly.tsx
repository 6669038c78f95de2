import { useTranslation } from "react-i18next";

/** The most a list call may ask for (the API's maximum page size): the portal's lists ask for one page of it. */
export const LIST_SIZE = 200;

/** A short note under a list when the API had more than the one page the portal asked for. */
export default function FirstItemsOnly({ page }: { page: { totalPages?: number } | undefined }) {
  const { t } = useTranslation();
  if ((page?.totalPages ?? 0) <= 1) {
    return null;
  }
  return <p className="muted" data-testid="first-items-only">{t("common.firstItemsOnly", { count: LIST_SIZE })}</p>;
}
