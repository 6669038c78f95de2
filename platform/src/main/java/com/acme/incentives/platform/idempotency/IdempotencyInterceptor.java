package com.acme.incentives.platform.idempotency;

import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.ProblemType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Implements {@link Idempotent}. The key is scoped to the authenticated client (token subject), so two clients never
 * see each other's answers. Concurrency comes from PostgreSQL: the placeholder row is inserted first in the
 * transaction, so a concurrent request with the same key waits on the primary key until the first commits (then
 * replays it) or rolls back (then runs itself). Only successful answers are stored; a refused request can be corrected
 * and sent again with the same key.
 */
@Idempotent
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER)
public class IdempotencyInterceptor {

    public static final String HEADER = "Idempotency-Key";
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,200}");

    @Inject
    CurrentVertxRequest currentRequest;

    @Inject
    SecurityIdentity identity;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @AroundInvoke
    Object around(InvocationContext context) throws Exception {
        if (!Response.class.equals(context.getMethod().getReturnType())) {
            throw new IllegalStateException("@Idempotent " + context.getMethod() + " must return a Response");
        }
        HttpServerRequest request = currentRequest.getCurrent().request();
        String key = request.getHeader(HEADER);
        if (key == null) {
            return context.proceed();
        }
        if (!KEY.matcher(key).matches()) {
            throw ApiException.invalidField(HEADER, PlatformMessages.IDEMPOTENCY_KEY_FORMAT);
        }
        String client = identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        String requestHash = hash(request.method().name() + " " + request.uri() + "\n"
                + json.writeValueAsString(requestValues(context.getParameters())));
        return QuarkusTransaction.joiningExisting().call(() -> {
            Stored stored = claim(client, key, requestHash);
            if (stored != null) {
                if (!stored.requestHash.equals(requestHash)) {
                    throw new ApiException(ProblemType.IDEMPOTENCY_KEY_REUSED, PlatformMessages.IDEMPOTENCY_KEY_REUSED);
                }
                return replay(stored);
            }
            Object result = context.proceed();
            store(client, key, result);
            return result;
        });
    }

    /** Inserts the placeholder; returns the earlier record if the key was used before. */
    private Stored claim(String client, String key, String requestHash) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO idempotency_record (client_id, idempotency_key, request_hash) VALUES (?, ?, ?)"
                            + " ON CONFLICT DO NOTHING")) {
                insert.setString(1, client);
                insert.setString(2, key);
                insert.setString(3, requestHash);
                if (insert.executeUpdate() == 1) {
                    return null;
                }
            }
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT request_hash, response_status, response_body, location FROM idempotency_record"
                            + " WHERE client_id = ? AND idempotency_key = ?")) {
                select.setString(1, client);
                select.setString(2, key);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return new Stored(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4));
                }
            }
        }
    }

    private void store(String client, String key, Object result) throws Exception {
        int status = 200;
        Object entity = result;
        String location = null;
        if (result instanceof Response response) {
            status = response.getStatus();
            entity = response.getEntity();
            location = response.getLocation() == null ? null : response.getLocation().toString();
        }
        if (entity instanceof OneTimeSecret secret) {
            // Shown once to the first caller only; a replay must not reveal it, and it must never reach the database.
            entity = secret.withoutSecret();
        }
        String body = entity == null ? null : json.writeValueAsString(entity);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE idempotency_record SET response_status = ?, response_body = ?, location = ?"
                                + " WHERE client_id = ? AND idempotency_key = ?")) {
            update.setInt(1, status);
            update.setString(2, body);
            update.setString(3, location);
            update.setString(4, client);
            update.setString(5, key);
            update.executeUpdate();
        }
    }

    /** Path and body values; injected context objects are not part of what the client asked. */
    private static java.util.List<Object> requestValues(Object[] parameters) {
        java.util.List<Object> values = new java.util.ArrayList<>();
        for (Object parameter : parameters) {
            if (parameter == null || !(parameter.getClass().getName().startsWith("jakarta.ws.rs")
                    || parameter.getClass().getName().startsWith("io.vertx")
                    || parameter.getClass().getName().startsWith("org.jboss.resteasy"))) {
                values.add(parameter);
            }
        }
        return values;
    }

    private static Response replay(Stored stored) {
        Response.ResponseBuilder builder = Response.status(stored.status).header(REPLAYED_HEADER, "true");
        if (stored.body != null) {
            builder.entity(stored.body).type(MediaType.APPLICATION_JSON_TYPE);
        }
        if (stored.location != null) {
            builder.header(HttpHeaders.LOCATION, stored.location);
        }
        return builder.build();
    }

    private static String hash(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Stored(String requestHash, int status, String body, String location) {
    }
}
