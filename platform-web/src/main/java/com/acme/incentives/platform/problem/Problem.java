package com.acme.incentives.platform.problem;

import com.acme.incentives.platform.i18n.Languages;
import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RFC 9457 problem details, the one error shape of every service. {@code type} is a stable identifier clients may
 * switch on ("/problems/validation-failed"); {@code detail} is for humans; {@code errors} lists each invalid field;
 * extension members carry problem-specific facts (e.g. the earning ID that conflicts) at the top level. {@code title},
 * {@code detail} and each error's {@code message} are in one language, {@link #language()}, sent as
 * {@code Content-Language}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({ "type", "title", "status", "detail", "instance", "correlationId", "errors" })
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    private final String type;
    private final String title;
    private final int status;
    private final String detail;
    private final String instance;
    private final String correlationId;
    private final List<FieldViolation> errors;
    private final Map<String, Object> extensions;
    private final Locale language;

    /** A problem in the language of the current request. */
    public Problem(ProblemType type, String detail, String instance, String correlationId,
            List<FieldViolation> errors, Map<String, Object> extensions) {
        this(Languages.current(), type, detail, instance, correlationId, errors, extensions);
    }

    /** A problem whose detail and errors are in {@code language}; the title is told in it too. */
    public Problem(Locale language, ProblemType type, String detail, String instance, String correlationId,
            List<FieldViolation> errors, Map<String, Object> extensions) {
        this.language = Languages.supported(language);
        this.type = type.uri();
        this.title = type.title(this.language);
        this.status = type.status();
        this.detail = detail;
        this.instance = instance;
        this.correlationId = correlationId;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    public String getType() {
        return type;
    }

    public String getTitle() {
        return title;
    }

    public int getStatus() {
        return status;
    }

    public String getDetail() {
        return detail;
    }

    public String getInstance() {
        return instance;
    }

    public String getCorrelationId() {
        return correlationId;
    }

    public List<FieldViolation> getErrors() {
        return errors;
    }

    /** The language of the texts, for {@code Content-Language}; not a member of the JSON. */
    @JsonIgnore
    public Locale language() {
        return language;
    }

    @JsonAnyGetter
    public Map<String, Object> getExtensions() {
        return extensions;
    }
}
