package com.acme.incentives.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes label selectors, evaluated as the API server does (metav1.LabelSelector): every matchLabels pair and
 * every matchExpressions requirement (In, NotIn, Exists, DoesNotExist) must hold; an empty selector selects
 * everything. A Service's spec.selector (a plain map) is {@link #matchesMap}.
 */
final class LabelSelectors {

    private LabelSelectors() {
    }

    static boolean matches(JsonNode selector, JsonNode labels) {
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.path("matchLabels").properties().iterator();
                it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        for (JsonNode requirement : selector.path("matchExpressions")) {
            String key = requirement.path("key").asText();
            String value = labels.path(key).asText(null);
            Set<String> values = new HashSet<>();
            requirement.path("values").forEach(v -> values.add(v.asText()));
            boolean holds = switch (requirement.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown selector operator in " + requirement);
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    /** A Service's selector: all pairs must be labels of the pod; an empty or missing one selects no pod. */
    static boolean matchesMap(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }
}
