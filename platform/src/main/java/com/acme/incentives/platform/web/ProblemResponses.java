package com.acme.incentives.platform.web;

import com.acme.incentives.platform.correlation.CorrelationId;
import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.problem.Problem;
import com.acme.incentives.platform.problem.ProblemType;
import com.acme.incentives.platform.i18n.Languages;
import com.acme.incentives.platform.i18n.MessageKey;
import com.acme.incentives.platform.i18n.Messages;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/**
 * Builds problem responses; the one place that knows the media type, what goes into each member and the language
 * headers ({@code Content-Language} of the texts, {@code Vary: Accept-Language}).
 */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static Problem problem(ProblemType type, String detail, String path, List<FieldViolation> errors,
            Map<String, Object> extensions) {
        return new Problem(Languages.current(), type, detail, path, CorrelationId.current(), errors, extensions);
    }

    /** A problem without field errors whose detail is the text of {@code detail} in the request's language. */
    public static Response response(ProblemType type, String path, MessageKey detail, Object... args) {
        return response(problem(type, Messages.text(Languages.current(), detail, args), path, List.of(), Map.of()));
    }

    public static Response response(Problem problem) {
        return builder(problem).build();
    }

    public static Response.ResponseBuilder builder(Problem problem) {
        return Response.status(problem.getStatus())
                .type(Problem.MEDIA_TYPE)
                .header(Languages.CONTENT_LANGUAGE, Languages.tag(problem.language()))
                .header(HttpHeaders.VARY, Languages.ACCEPT_LANGUAGE)
                .entity(problem);
    }
}
