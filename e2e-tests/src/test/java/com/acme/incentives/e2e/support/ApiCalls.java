package com.acme.incentives.e2e.support;

import com.acme.incentives.e2e.support.ApiOperations.ApiOperation;
import com.acme.incentives.e2e.support.ApiOperations.Parameter;
import io.restassured.builder.ResponseBuilder;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls one operation through the gateway with chosen credentials, path values, query values and body. */
public final class ApiCalls {

    private ApiCalls() {
    }

    public static final class Call {
        private final ApiOperation operation;
        private String token;
        private final Map<String, String> pathValues = new HashMap<>();
        private final Map<String, String> queryValues = new HashMap<>();
        private String body;
        private String contentType = "application/json";

        private Call(ApiOperation operation) {
            this.operation = operation;
            TenantFixture fixture = TenantFixture.get();
            operation.pathParameters().forEach(p -> pathValues.put(p.name(), fixture.pathValue(p.name())));
            if (operation.hasJsonBody()) {
                body = SampleBodies.write(SampleBodies.plausible(operation));
            }
        }

        public Call token(String token) {
            this.token = token;
            return this;
        }

        public Call path(String name, String value) {
            pathValues.put(name, value);
            return this;
        }

        public Call query(String name, String value) {
            queryValues.put(name, value);
            return this;
        }

        public Call body(String body, String contentType) {
            this.body = body;
            this.contentType = contentType;
            return this;
        }

        public Call body(String body) {
            return body(body, "application/json");
        }

        /** The body goes without any Content-Type header (rest-assured would always add one). */
        public Call withoutContentType() {
            this.contentType = null;
            return this;
        }

        public Response send() {
            String path = operation.path();
            for (Parameter parameter : operation.pathParameters()) {
                path = path.replace("{" + parameter.name() + "}", encode(pathValues.get(parameter.name())));
            }
            StringBuilder query = new StringBuilder();
            queryValues.forEach((name, value) -> query.append(query.isEmpty() ? "?" : "&").append(encode(name))
                    .append('=').append(encode(value)));
            if (body != null && contentType == null) {
                return sendWithoutContentType(this, path + query);
            }
            RequestSpecification request = Gateway.request().urlEncodingEnabled(false);
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            if (body != null) {
                request.contentType(contentType).body(body.getBytes(StandardCharsets.UTF_8));
            }
            return request.request(operation.method().toUpperCase(), path + query);
        }
    }

    /** Sent with the JDK's client, which adds no Content-Type of its own; answered as a rest-assured Response. */
    private static Response sendWithoutContentType(Call call, String pathAndQuery) {
        Gateway.pace();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(Gateway.next() + pathAndQuery))
                .method(call.operation.method().toUpperCase(),
                        HttpRequest.BodyPublishers.ofByteArray(call.body.getBytes(StandardCharsets.UTF_8)));
        if (call.token != null) {
            request.header("Authorization", "Bearer " + call.token);
        }
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(),
                    HttpResponse.BodyHandlers.ofString());
            return new ResponseBuilder().setStatusCode(answer.statusCode())
                    .setContentType(answer.headers().firstValue("Content-Type").orElse(""))
                    .setBody(answer.body()).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Call call(ApiOperation operation) {
        return new Call(operation);
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters, so a payload reaches the service as sent. */
    public static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    /** The platform's error contract: a client error or refusal is problem+json, never an HTML page or a bare text. */
    public static void assertProblem(Response response, int... allowedStatuses) {
        int status = response.statusCode();
        assertThat(status).as("status; body: %s", abbreviated(response)).isIn(boxed(allowedStatuses));
        assertThat(response.contentType()).as("content type of a %d", status).startsWith("application/problem+json");
        assertThat(response.jsonPath().getInt("status")).isEqualTo(status);
    }

    /** Never a server error; anything that is not a success is problem+json. */
    public static void assertHandled(Response response) {
        int status = response.statusCode();
        assertThat(status).as("a hostile input must never cause a server error; body: %s", abbreviated(response))
                .isLessThan(500);
        if (status >= 400) {
            assertThat(response.contentType()).as("content type of a %d: %s", status, abbreviated(response))
                    .startsWith("application/problem+json");
        }
    }

    public static String abbreviated(Response response) {
        String text = response.asString();
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }

    private static Integer[] boxed(int... values) {
        Integer[] boxed = new Integer[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }
}
