import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { isSignedOut } from "./api";
import App from "./App";
import { initialLanguage, loadLanguage } from "./i18n";
import "./styles.css";

// A session that expired while the portal was open: any call answered 401 makes the portal ask /me again, and App shows
// the sign-in page when that answers 401 too. (Not for /me's own 401: asking it again would only loop.)
const signedOut = (error: unknown) => {
  if (isSignedOut(error)) {
    void queries.invalidateQueries({ queryKey: ["me"] });
  }
};

const queries: QueryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      if (query.queryKey[0] !== "me") {
        signedOut(error);
      }
    },
  }),
  mutationCache: new MutationCache({ onError: (error) => signedOut(error) }),
  defaultOptions: {
    queries: {
      // A refusal (401, 403, 404, a validation problem) is an answer, not a glitch: asking again changes nothing.
      retry: (failures, error) => failures < 2 && !(error instanceof Error && error.name === "ApiProblem") && !isSignedOut(error),
      staleTime: 30_000,
      refetchOnWindowFocus: false,
    },
  },
});

// The person's language before the first paint: no English flash for a Japanese or Korean reader.
await loadLanguage(initialLanguage()).catch(() => undefined);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
