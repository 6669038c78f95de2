package com.acme.incentives.gateway.problem;

import java.util.Locale;

/**
 * The problem types the gateway itself answers with. Same URIs and titles as the services' (platform module), so a
 * client cannot tell, and need not care, whether the gateway or a service refused a call.
 */
public enum ProblemType {
    UNAUTHORIZED(401, "Authentication required"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not found"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    URI_TOO_LONG(414, "URI too long"),
    TOO_MANY_REQUESTS(429, "Too many requests"),
    REQUEST_HEADER_FIELDS_TOO_LARGE(431, "Request header fields too large"),
    INTERNAL_ERROR(500, "Internal error"),
    BAD_GATEWAY(502, "Upstream service failed"),
    SERVICE_UNAVAILABLE(503, "Service unavailable"),
    GATEWAY_TIMEOUT(504, "Upstream service timed out");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    /** The English title. */
    public String title() {
        return title;
    }

    public String title(Locale language) {
        return GatewayMessages.lookup(language, titleKey());
    }

    String titleKey() {
        return "title-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String uri() {
        return "/problems/" + name().toLowerCase().replace('_', '-');
    }
}
