package com.acme.incentives.client;

import com.acme.incentives.client.invoker.ApiClient;
import com.acme.incentives.client.invoker.ApiException;
import com.acme.incentives.client.model.FieldViolation;
import com.acme.incentives.client.model.Problem;
import com.fasterxml.jackson.core.JsonProcessingException;

import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The little the generated client (packages {@code api}, {@code model}, {@code invoker}, generated from
 * docs/openapi.json) leaves to its caller: a client for a bearer token, and the refusal's problem document, typed.
 *
 * <pre>{@code
 * ApiClient client = ApiClients.bearer("https://api.partners.example.com", tokens::accessToken);
 * try {
 *     new OrganizationsAndLocationsApi(client).addLocation(orgId, new AddLocation()...., null, null);
 * } catch (ApiException e) {
 *     Problem problem = ApiClients.problem(e);   // status, type, title, detail, errors[] (field, message)
 * }
 * }</pre>
 */
public final class ApiClients {

    private static final String PROBLEM_JSON = "application/problem+json";

    private ApiClients() {
    }

    /**
     * A client of the gateway at {@code baseUri} (scheme, host and port: the operations' paths start with
     * {@code /api/v1}) that sends {@code Authorization: Bearer <token>} with every call, the token asked of
     * {@code token} each time (so it may be refreshed).
     */
    public static ApiClient bearer(String baseUri, Supplier<String> token) {
        return bearer(baseUri, token, request -> {
        });
    }

    /** The same, with {@code before} applied to every request first (pacing, a correlation id, another base URI). */
    public static ApiClient bearer(String baseUri, Supplier<String> token, Consumer<HttpRequest.Builder> before) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(before, "before");
        ApiClient client = new ApiClient();
        client.updateBaseUri(baseUri);
        client.setRequestInterceptor(request -> {
            before.accept(request);
            request.setHeader("Authorization", "Bearer " + token.get());
        });
        return client;
    }

    /**
     * The problem document of a refused call (RFC 9457, the contract's {@code Problem}), with its members beyond the
     * schema in {@link Problem#getAdditionalProperties()}. An answer that is not a problem document (a proxy's error
     * page, a transport failure) gives a problem of type {@code about:blank} with the HTTP status (0: no answer).
     */
    public static Problem problem(ApiException refusal) {
        String body = refusal.getResponseBody();
        boolean json = refusal.getResponseHeaders() != null && refusal.getResponseHeaders().firstValue("Content-Type")
                .map(type -> type.startsWith(PROBLEM_JSON) || type.startsWith("application/json")).orElse(false);
        if (json && body != null && !body.isBlank()) {
            try {
                Problem problem = ApiClient.createDefaultObjectMapper().readValue(body, Problem.class);
                if (problem.getType() != null && problem.getTitle() != null) {
                    if (problem.getStatus() == null) {
                        problem.setStatus(refusal.getCode());
                    }
                    return problem;
                }
            } catch (JsonProcessingException notAProblem) {
                // falls through to about:blank
            }
        }
        return new Problem().type("about:blank").status(refusal.getCode())
                .title(refusal.getCode() == 0 ? String.valueOf(refusal.getMessage()) : "HTTP " + refusal.getCode());
    }

    /** A problem's invalid fields, each with its messages in the order the API listed them. */
    public static Map<String, List<String>> fieldErrors(Problem problem) {
        Map<String, List<String>> byField = new LinkedHashMap<>();
        if (problem.getErrors() != null) {
            for (FieldViolation violation : problem.getErrors()) {
                byField.computeIfAbsent(violation.getField(), field -> new java.util.ArrayList<>())
                        .add(violation.getMessage());
            }
        }
        return byField;
    }
}
