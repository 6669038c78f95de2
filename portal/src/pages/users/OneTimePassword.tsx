import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

export type Issued = { email: string; password: string };

/**
 * A temporary password the API answers once: shown here until dismissed, with a copy button. It is kept only in this
 * component's state (never stored), so leaving the page forgets it.
 */
export default function OneTimePassword({ issued, onDismiss }: { issued: Issued; onDismiss: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    setCopied("no");
    panel.current?.focus(); // a keyboard or screen-reader user lands on it
  }, [issued]);
  const copy = () => {
    navigator.clipboard.writeText(issued.password).then(() => setCopied("yes"), () => setCopied("failed"));
  };
  return (
    <div className="card one-time" ref={panel} tabIndex={-1} role="region" aria-labelledby="one-time-heading">
      <h2 id="one-time-heading">{t("users.password.title")}</h2>
      <p>{t("users.password.intro", { email: issued.email })}</p>
      <p className="toolbar">
        <code className="secret" data-testid="temporary-password">{issued.password}</code>
        <button type="button" onClick={copy}>{t("users.password.copy")}</button>
        <span role="status">
          {copied === "yes" && t("users.password.copied")}
          {copied === "failed" && t("users.password.copyFailed")}
        </span>
      </p>
      <p className="muted">{t("users.password.once")}</p>
      <button type="button" onClick={onDismiss}>{t("users.password.dismiss")}</button>
    </div>
  );
}
