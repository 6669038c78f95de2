package com.acme.incentives.platform.json;

import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.web.ProblemExceptionMappers;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every invalid field of a JSON body in one answer. Jackson alone stops at the first field it cannot read (a string
 * for a number), and Bean Validation (a missing required field, a bad pattern) runs only on a body that could be read,
 * so a body with four mistakes would be refused four times, one at a time. Here the body is read with
 * {@link BodyProblems} collecting what Jackson cannot read; when anything was collected, Bean Validation is run on what
 * could be read and both lists are refused together as one 400 {@code /problems/validation-failed}. A body without
 * type problems goes on unchanged to the resource method's own {@code @Valid}.
 */
@Provider
public class BodyValidation implements ReaderInterceptor {

    @Inject
    Validator validator;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type == null || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            return context.proceed();
        }
        List<FieldViolation> problems = BodyProblems.start();
        Object body;
        try {
            body = context.proceed();
        } catch (JsonMappingException e) {
            if (problems.isEmpty() || e instanceof StrictJson.NulCharacterException
                    || e.getCause() instanceof JsonParseException) {
                throw e; // alone, or not JSON at all (a repeated key): ProblemExceptionMappers says what it is
            }
            // A later problem Jackson could not step over: report it with the ones found before it.
            String field = ProblemExceptionMappers.jsonPath(e);
            problems.add(FieldViolation.of(field.isEmpty() ? "body" : field, e instanceof UnrecognizedPropertyException
                    ? PlatformMessages.UNKNOWN_FIELD : PlatformMessages.INVALID_VALUE));
            throw refusal(problems, null);
        } catch (JsonParseException e) {
            throw e; // not JSON at all: nothing field by field to say (ProblemExceptionMappers)
        } finally {
            BodyProblems.stop();
        }
        if (problems.isEmpty()) {
            return body;
        }
        throw refusal(problems, body);
    }

    private ApiException refusal(List<FieldViolation> problems, Object body) {
        List<FieldViolation> all = new ArrayList<>(problems);
        if (body != null) {
            for (ConstraintViolation<Object> violation : validator.validate(body)) {
                String field = ProblemExceptionMappers.fieldName(violation);
                // A field that could not be read is empty now; "must not be null" would only repeat its problem.
                if (problems.stream().noneMatch(p -> field.equals(p.field()) || field.startsWith(p.field() + ".")
                        || field.startsWith(p.field() + "["))) {
                    all.add(new FieldViolation(field, ProblemExceptionMappers.code(violation), violation.getMessage()));
                }
            }
        }
        all.sort(Comparator.comparing(FieldViolation::field).thenComparing(FieldViolation::message));
        return ApiException.invalid(all);
    }
}
