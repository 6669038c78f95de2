package com.acme.incentives.e2e.contract;

import org.htmlunit.WebClient;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.htmlunit.util.NameValuePair;
import org.htmlunit.util.WebConnectionWrapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hands every exchange of a browser (HtmlUnit, BrowserSession) to {@link ContractCheck}: the API calls a signed-in
 * person makes with the session cookie are held to the document like any other; the sign-in pages and Keycloak's
 * forms are skipped by rule.
 */
public final class RecordingWebConnection extends WebConnectionWrapper {

    /** Wraps the browser's connection and puts itself in its place. */
    public RecordingWebConnection(WebClient browser) {
        super(browser);
    }

    @Override
    public WebResponse getResponse(WebRequest request) throws IOException {
        WebResponse response = super.getResponse(request);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (NameValuePair header : response.getResponseHeaders()) {
            headers.computeIfAbsent(header.getName(), name -> new ArrayList<>()).add(header.getValue());
        }
        int status = response.getStatusCode();
        String contentType = request.getAdditionalHeaders().entrySet().stream()
                .filter(header -> header.getKey().equalsIgnoreCase("Content-Type")).map(Map.Entry::getValue)
                .findFirst().orElse(null);
        String body = ContractCheck.capturesRequestBody(status)
                ? (request.getRequestBody() == null ? "" : request.getRequestBody()) : null;
        ContractCheck.record(request.getUrl().toString(), new Exchange(request.getHttpMethod().name(),
                request.getUrl().getPath(), contentType, body, status, headers, response.getContentAsString(), false));
        return response;
    }
}
