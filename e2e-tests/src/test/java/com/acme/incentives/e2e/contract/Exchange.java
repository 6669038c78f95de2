package com.acme.incentives.e2e.contract;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request and its response as a client saw them, whatever client sent it (rest-assured, the generated Java client,
 * the browser): what {@link ContractValidator} checks against the document.
 *
 * @param method          the HTTP method, upper case
 * @param path            the raw (still percent-encoded) path, without the query
 * @param requestType     the request's Content-Type, or null
 * @param requestBody     the request body as text, or null (none, or not captured: it is only read for a 2xx)
 * @param status          the response status
 * @param responseHeaders the response headers, names in any case
 * @param responseBody    the response body as text; empty when there was none
 * @param invalidOnPurpose the request was made invalid on purpose (hostile input): only its response is checked
 */
public record Exchange(String method, String path, String requestType, String requestBody, int status,
                       Map<String, List<String>> responseHeaders, String responseBody, boolean invalidOnPurpose) {

    public Exchange {
        method = method.toUpperCase(java.util.Locale.ROOT);
        int query = path.indexOf('?');
        path = query < 0 ? path : path.substring(0, query);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        responseHeaders.forEach((name, values) -> headers.merge(name, List.copyOf(values), (a, b) -> {
            List<String> both = new java.util.ArrayList<>(a);
            both.addAll(b);
            return both;
        }));
        responseHeaders = headers;
        responseBody = responseBody == null ? "" : responseBody;
    }

    /** The first value of a response header, or null. */
    public String header(String name) {
        List<String> values = responseHeaders.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The same exchange, its request marked as invalid on purpose. */
    public Exchange asInvalidOnPurpose() {
        return new Exchange(method, path, requestType, requestBody, status, responseHeaders, responseBody, true);
    }
}
