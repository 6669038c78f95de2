import { useTranslation } from "react-i18next";
import { Navigate, Route, Routes } from "react-router";
import { isSignedOut } from "./api";
import Layout from "./components/Layout";
import ProblemMessage from "./components/ProblemMessage";
import Migration from "./pages/Migration";
import Operations from "./pages/Operations";
import Overview from "./pages/Overview";
import Payments from "./pages/Payments";
import Profiles from "./pages/Profiles";
import SignIn from "./pages/SignIn";
import Statements from "./pages/Statements";
import Users from "./pages/Users";
import { useMe } from "./session";

export default function App() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) {
    return <p className="loading" role="status">{t("common.loading")}</p>;
  }
  if (me.isError) {
    return isSignedOut(me.error) ? <SignIn /> : <main className="page"><ProblemMessage error={me.error} /></main>;
  }
  return (
    <Layout me={me.data}>
      <Routes>
        <Route path="/" element={<Overview me={me.data} />} />
        <Route path="/payments" element={<Payments me={me.data} />} />
        <Route path="/statements" element={<Statements me={me.data} />} />
        <Route path="/users" element={<Users me={me.data} />} />
        <Route path="/migration" element={<Migration me={me.data} />} />
        <Route path="/profiles" element={<Profiles me={me.data} />} />
        <Route path="/operations/*" element={<Operations me={me.data} />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Routes>
    </Layout>
  );
}
