import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { isSignedOut } from "./api";
import App from "./App";
import { initialLanguage, loadLanguage } from "./i18n";
import "./styles.css";

const queries = new QueryClient({
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
