import { useTranslation } from "react-i18next";
import { ApiProblem } from "../api";

/**
 * A refused call as the person reads it: the API's own title and detail (already in their language), the fields it
 * names, and the correlation id to quote to support.
 */
export default function ProblemMessage({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiProblem)) {
    return <div className="problem" role="alert">{t("common.unreachable")}</div>;
  }
  // Not a problem document (about:blank: e.g. a proxy's HTML error page): its title is the English status text, so the
  // person reads "could not be reached" in their language, with the status number to quote.
  if (error.type === "about:blank") {
    return (
      <div className="problem" role="alert">
        <strong>{t("common.unreachable")}</strong>
        <p className="muted">{t("common.httpStatus", { status: error.status })}</p>
        {error.correlationId && <p className="muted">{t("common.reference", { id: error.correlationId })}</p>}
      </div>
    );
  }
  return (
    <div className="problem" role="alert">
      <strong>{error.title}</strong>
      {error.detail && <p>{error.detail}</p>}
      {error.errors.length > 0 && (
        <ul>
          {error.errors.map((violation) => (
            <li key={`${violation.field}:${violation.code ?? violation.message}`}>{violation.message}</li>
          ))}
        </ul>
      )}
      {error.correlationId && <p className="muted">{t("common.reference", { id: error.correlationId })}</p>}
    </div>
  );
}
