import { Component, type ErrorInfo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * What a screen that failed to render shows instead of an empty page: most often a screen's file that is gone because
 * a deploy replaced the hashed assets, which only a reload mends. Going to another address (resetKey) tries again.
 */
export default class ErrorBoundary extends Component<{ resetKey?: string; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override componentDidUpdate(previous: { resetKey?: string }) {
    if (this.state.failed && previous.resetKey !== this.props.resetKey) {
      this.setState({ failed: false });
    }
  }

  override render() {
    return this.state.failed ? <ReloadNeeded /> : this.props.children;
  }
}

function ReloadNeeded() {
  const { t } = useTranslation();
  return (
    <div className="problem" role="alert" data-testid="reload-needed">
      <p>{t("common.reloadNeeded")}</p>
      <button type="button" className="primary" onClick={() => window.location.reload()}>{t("common.reload")}</button>
    </div>
  );
}
