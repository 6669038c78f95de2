package com.acme.incentives.platform.problem;

import com.acme.incentives.platform.correlation.CorrelationId;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/** Builds problem responses; the one place that knows the media type and what goes into each member. */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static Problem problem(ProblemType type, String detail, String path, List<FieldViolation> errors,
            Map<String, Object> extensions) {
        return new Problem(type, detail, path, CorrelationId.current(), errors, extensions);
    }

    public static Response response(ProblemType type, String detail, String path) {
        return response(problem(type, detail, path, List.of(), Map.of()));
    }

    public static Response response(Problem problem) {
        return Response.status(problem.getStatus())
                .type(Problem.MEDIA_TYPE)
                .entity(problem)
                .build();
    }
}
