import { lazy, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, Route, Routes, useLocation } from "react-router";
import { isSignedOut } from "./api";
import ErrorBoundary from "./components/ErrorBoundary";
import Layout from "./components/Layout";
import ProblemMessage from "./components/ProblemMessage";
import Overview from "./pages/Overview";
import SignIn from "./pages/SignIn";
import { useMe } from "./session";

// The overview is in the main bundle (it is what a signed-in person sees first); every other screen is a file of its
// own, fetched the first time it is opened.
const AuditLog = lazy(() => import("./pages/AuditLog"));
const Migration = lazy(() => import("./pages/Migration"));
const Operations = lazy(() => import("./pages/Operations"));
const Payments = lazy(() => import("./pages/Payments"));
const Profiles = lazy(() => import("./pages/Profiles"));
const Settings = lazy(() => import("./pages/Settings"));
const Statements = lazy(() => import("./pages/Statements"));
const Users = lazy(() => import("./pages/Users"));

export default function App() {
  const { t } = useTranslation();
  const me = useMe();
  const location = useLocation();
  if (me.isPending) {
    return <p className="loading" role="status">{t("common.loading")}</p>;
  }
  if (me.isError) {
    return isSignedOut(me.error) ? <SignIn /> : <main className="page"><ProblemMessage error={me.error} /></main>;
  }
  return (
    <Layout me={me.data}>
      <ErrorBoundary resetKey={location.pathname}>
        <Suspense fallback={<p role="status">{t("common.loading")}</p>}>
          <Routes>
            <Route path="/" element={<Overview me={me.data} />} />
            <Route path="/payments" element={<Payments me={me.data} />} />
            <Route path="/statements" element={<Statements me={me.data} />} />
            <Route path="/users" element={<Users me={me.data} />} />
            <Route path="/migration" element={<Migration me={me.data} />} />
            <Route path="/profiles" element={<Profiles me={me.data} />} />
            <Route path="/settings" element={<Settings me={me.data} />} />
            <Route path="/audit-log" element={<AuditLog me={me.data} />} />
            <Route path="/operations/*" element={<Operations me={me.data} />} />
            <Route path="*" element={<Navigate to="/" replace />} />
          </Routes>
        </Suspense>
      </ErrorBoundary>
    </Layout>
  );
}
