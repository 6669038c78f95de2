package com.acme.incentives.platform.web;

import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.platform.paging.Sortable;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.problem.ProblemType;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.MultivaluedMap;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The query string of every operation holds only the parameters the operation declares, each of its type:
 * <ul>
 * <li>an unknown parameter is a 400 naming it and the ones the operation takes: a misspelt filter
 * ({@code ?staus=ACTIVE}) would otherwise be ignored and the client would take the whole list for the filtered
 * one;</li>
 * <li>a whole-number parameter ({@code page}, {@code size}) that is not one, or is out of its type's range, is a 400
 * naming it (JAX-RS alone answers 404 for a query parameter it cannot convert);</li>
 * <li>{@code sort} may name only the fields the list declares with {@link Sortable}.</li>
 * </ul>
 * What an operation declares is read once per resource method from its {@code @QueryParam}/{@code @RestQuery}
 * parameters and the {@code @QueryParam} fields of its {@code @BeanParam}s. Runs after authentication and the role
 * check, so a caller without access learns nothing of an operation's parameters.
 */
public class QueryParameters {

    private static final Set<Class<?>> WHOLE_NUMBERS = Set.of(int.class, Integer.class, long.class, Long.class,
            short.class, Short.class);

    private final Map<Method, Declared> declared = new ConcurrentHashMap<>();

    /** The query parameters of one resource method: name to Java type, and the sortable fields (null: none). */
    record Declared(Map<String, Class<?>> parameters, List<String> sortable) {
    }

    @ServerRequestFilter
    public void check(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) {
            return;
        }
        Declared operation = declared.computeIfAbsent(method, QueryParameters::declaredBy);
        MultivaluedMap<String, String> query = request.getUriInfo().getQueryParameters();
        if (query.isEmpty()) {
            return;
        }
        List<FieldViolation> errors = new ArrayList<>();
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String name = parameter.getKey();
            Class<?> type = operation.parameters().get(name);
            if (type == null) {
                errors.add(FieldViolation.of(name, PlatformMessages.UNKNOWN_PARAMETER));
            } else if (WHOLE_NUMBERS.contains(type)) {
                for (String value : parameter.getValue()) {
                    FieldViolation problem = wholeNumberProblem(name, value, type);
                    if (problem != null) {
                        errors.add(problem);
                        break;
                    }
                }
            } else if (name.equals("sort") && type == String.class) {
                FieldViolation problem = sortProblem(name, parameter.getValue(), operation.sortable());
                if (problem != null) {
                    errors.add(problem);
                }
            }
        }
        if (errors.isEmpty()) {
            return;
        }
        List<String> unknown = errors.stream()
                .filter(e -> e.code().equals(PlatformMessages.UNKNOWN_PARAMETER.code()))
                .map(FieldViolation::field).toList();
        if (!unknown.isEmpty()) {
            throw new ApiException(ProblemType.VALIDATION_FAILED, errors, unknown.size() == 1
                    ? PlatformMessages.UNKNOWN_QUERY_PARAMETER : PlatformMessages.UNKNOWN_QUERY_PARAMETERS,
                    String.join(", ", unknown), operation.parameters().isEmpty()
                            ? PlatformMessages.NO_PARAMETERS.text()
                            : String.join(", ", operation.parameters().keySet()));
        }
        if (errors.size() == 1) {
            throw ApiException.invalid(errors);
        }
        throw new ApiException(ProblemType.VALIDATION_FAILED, errors, PlatformMessages.PARAMETERS_INVALID,
                errors.size());
    }

    private static FieldViolation wholeNumberProblem(String name, String value, Class<?> type) {
        long min = type == int.class || type == Integer.class ? Integer.MIN_VALUE
                : type == short.class || type == Short.class ? Short.MIN_VALUE : Long.MIN_VALUE;
        long max = type == int.class || type == Integer.class ? Integer.MAX_VALUE
                : type == short.class || type == Short.class ? Short.MAX_VALUE : Long.MAX_VALUE;
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed >= min && parsed <= max) {
                return null;
            }
        } catch (NumberFormatException e) {
            // below
        }
        return value.trim().matches("-?[0-9]+") ? FieldViolation.of(name, PlatformMessages.WHOLE_NUMBER_AT_MOST, max)
                : FieldViolation.of(name, PlatformMessages.TYPE_WHOLE_NUMBER);
    }

    private static FieldViolation sortProblem(String name, List<String> values, List<String> sortable) {
        if (values.size() > 1) {
            return FieldViolation.of(name, PlatformMessages.GIVEN_ONCE);
        }
        String value = values.get(0);
        if (value.isEmpty()) {
            return null;
        }
        if (sortable == null || sortable.isEmpty()) {
            return FieldViolation.of(name, PlatformMessages.NOT_SORTABLE);
        }
        String field = value.contains(",") ? value.substring(0, value.indexOf(',')) : value;
        if (!sortable.contains(field)) {
            return FieldViolation.of(name, PlatformMessages.SORT_BY, String.join(", ", sortable));
        }
        return null; // the direction's form is PageRequest's @Pattern
    }

    static Declared declaredBy(Method method) {
        Map<String, Class<?>> parameters = new LinkedHashMap<>();
        for (Parameter parameter : method.getParameters()) {
            String name = queryName(parameter.getAnnotations(), parameter.getName());
            if (name != null) {
                parameters.put(name, elementType(parameter.getType()));
            } else if (parameter.isAnnotationPresent(BeanParam.class)) {
                addBeanParameters(parameter.getType(), parameters, 0);
            }
        }
        Sortable sortable = method.getAnnotation(Sortable.class);
        return new Declared(parameters, sortable == null ? null : List.of(sortable.value()));
    }

    private static void addBeanParameters(Class<?> type, Map<String, Class<?>> parameters, int depth) {
        for (Class<?> c = type; c != null && c != Object.class && depth < 4; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                String name = queryName(field.getAnnotations(), field.getName());
                if (name != null) {
                    parameters.put(name, elementType(field.getType()));
                } else if (field.isAnnotationPresent(BeanParam.class)) {
                    addBeanParameters(field.getType(), parameters, depth + 1);
                }
            }
        }
    }

    private static String queryName(Annotation[] annotations, String javaName) {
        for (Annotation annotation : annotations) {
            if (annotation instanceof QueryParam query) {
                return query.value();
            }
            if (annotation instanceof RestQuery query) {
                return query.value().isEmpty() ? javaName : query.value();
            }
        }
        return null;
    }

    /** A repeated parameter ({@code List<String>}) is checked value by value; its element type is not kept. */
    private static Class<?> elementType(Class<?> type) {
        return Collection.class.isAssignableFrom(type) ? Object.class : type;
    }
}
