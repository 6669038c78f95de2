package com.acme.incentives.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Which Service an Ingress sends a request path to, by the rules of the Ingress API (networking.k8s.io/v1) that
 * every conformant controller follows: Exact matches the path as it is; Prefix matches whole path elements (/q
 * matches /q and /q/metrics, not /quotes), a trailing slash ignored; the longest matching path wins, Exact before
 * Prefix at equal length; no match goes to spec.defaultBackend. ImplementationSpecific depends on the controller, so
 * it is refused here. Hosts are not told apart: every rule is taken as the request's host.
 */
final class IngressPaths {

    private IngressPaths() {
    }

    static Optional<String> backendFor(JsonNode ingress, String requestPath) {
        String best = null;
        int bestLength = -1;
        boolean bestExact = false;
        for (JsonNode rule : ingress.path("spec").path("rules")) {
            for (JsonNode path : rule.path("http").path("paths")) {
                String p = path.path("path").asText();
                String type = path.path("pathType").asText();
                boolean exact = switch (type) {
                    case "Exact" -> true;
                    case "Prefix" -> false;
                    default -> throw new AssertionError("pathType " + type + " of " + p + " depends on the controller");
                };
                boolean matches = exact ? requestPath.equals(p) : prefixMatches(p, requestPath);
                if (!matches) {
                    continue;
                }
                int length = p.length();
                if (length > bestLength || (length == bestLength && exact && !bestExact)) {
                    best = path.path("backend").path("service").path("name").asText(null);
                    bestLength = length;
                    bestExact = exact;
                }
            }
        }
        if (best == null && ingress.path("spec").has("defaultBackend")) {
            best = ingress.path("spec").path("defaultBackend").path("service").path("name").asText(null);
        }
        return Optional.ofNullable(best);
    }

    /** Element-wise prefix: "/q" matches "/q", "/q/", "/q/metrics", not "/quotes"; "/" matches everything. */
    static boolean prefixMatches(String prefix, String requestPath) {
        String[] want = elements(prefix);
        String[] have = elements(requestPath);
        if (want.length > have.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (!want[i].equals(have[i])) {
                return false;
            }
        }
        return true;
    }

    private static String[] elements(String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/");
    }
}
