package com.acme.incentives.e2e.contract;

import io.restassured.filter.FilterContext;
import io.restassured.filter.OrderedFilter;
import io.restassured.http.Header;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hands every rest-assured exchange to {@link ContractCheck}. Registered globally (RestAssured.filters) by
 * {@link ContractExtension}; ordered last, so it sees the request exactly as sent, after any other filter.
 */
final class ContractFilter implements OrderedFilter {

    @Override
    public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification responseSpec,
                           FilterContext context) {
        Response response = context.next(request, responseSpec);
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header header : response.getHeaders()) {
            headers.computeIfAbsent(header.getName(), name -> new ArrayList<>()).add(header.getValue());
        }
        int status = response.getStatusCode();
        // A request body is read only when it is checked (a 2xx): hostile tests send 12 MB ones that are refused.
        String requestBody = ContractCheck.capturesRequestBody(status) ? text(request.getBody()) : null;
        // rest-assured keeps the body it read, so the test still reads it after this.
        String responseBody = response.asString();
        // The path: ContractCheck takes it, with the host, out of the URI.
        ContractCheck.record(request.getURI(), new Exchange(request.getMethod(), "/", request.getContentType(),
                requestBody, status, headers, responseBody, false));
        return response;
    }

    private static String text(Object body) {
        if (body == null) {
            return "";
        }
        if (body instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return body.toString();
    }

    @Override
    public int getOrder() {
        return LOWEST_PRECEDENCE;
    }
}
