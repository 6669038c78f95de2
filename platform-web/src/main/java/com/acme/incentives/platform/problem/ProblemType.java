package com.acme.incentives.platform.problem;

import com.acme.incentives.platform.i18n.Languages;
import com.acme.incentives.platform.i18n.MessageKey;
import com.acme.incentives.platform.i18n.Messages;

import java.util.Locale;

/**
 * The stable problem types of the API, the same whether a service or the gateway answers (431 and 504 only the gateway
 * does). Clients switch on {@link #uri()}; the README lists them. The title is in the request's language (bundle
 * {@code messages/problem-titles}).
 */
public enum ProblemType implements MessageKey {
    VALIDATION_FAILED(400, "Validation failed"),
    MALFORMED_REQUEST(400, "Malformed request"),
    UNAUTHORIZED(401, "Authentication required"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    CONFLICT(409, "Conflict"),
    PRECONDITION_FAILED(412, "Precondition failed"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    URI_TOO_LONG(414, "URI too long"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency key reused with a different request"),
    UNPROCESSABLE(422, "Request cannot be processed in the current state"),
    PRECONDITION_REQUIRED(428, "Precondition required"),
    TOO_MANY_REQUESTS(429, "Too many requests"),
    REQUEST_HEADER_FIELDS_TOO_LARGE(431, "Request header fields too large"),
    INTERNAL_ERROR(500, "Internal error"),
    BAD_GATEWAY(502, "Upstream service failed"),
    SERVICE_UNAVAILABLE(503, "Service unavailable"),
    GATEWAY_TIMEOUT(504, "Upstream service timed out");

    private final int status;
    private final String english;

    ProblemType(int status, String english) {
        this.status = status;
        this.english = english;
    }

    @Override
    public String bundle() {
        return "messages/problem-titles";
    }

    public int status() {
        return status;
    }

    /** The title in the language of the current request. */
    public String title() {
        return title(Languages.current());
    }

    public String title(Locale language) {
        return Messages.text(language, this);
    }

    /** The English title, for logs. */
    public String englishTitle() {
        return english;
    }

    public String uri() {
        return "/problems/" + name().toLowerCase().replace('_', '-');
    }

    /** The generic type for an HTTP status that has no more specific problem type. */
    public static ProblemType forStatus(int status) {
        if (status == 400) {
            return MALFORMED_REQUEST;
        }
        if (status == 422) {
            return UNPROCESSABLE;
        }
        for (ProblemType t : values()) {
            if (t.status == status) {
                return t;
            }
        }
        return status >= 500 ? INTERNAL_ERROR : MALFORMED_REQUEST;
    }
}
