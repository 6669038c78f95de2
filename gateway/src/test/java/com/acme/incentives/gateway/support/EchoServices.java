package com.acme.incentives.gateway.support;

import com.acme.incentives.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the four services: one tiny Vert.x HTTP server per service, each answering with what it received
 * (method, path, query, the headers the gateway must relay, the body) so tests can see exactly what a real service
 * would. {@code ?status=N} makes it answer with status N, {@code ?delayMs=N} makes it answer late. A fifth service,
 * {@code offline}, points at a port nobody listens on.
 */
public class EchoServices implements QuarkusTestResourceLifecycleManager {

    public static final List<String> SERVICES = List.of("identity", "eligibility", "enrollment", "payout");

    private Vertx vertx;

    @Override
    public Map<String, String> start() {
        // The gateway discovers Keycloak at start-up; the infra scripts may still be bringing it up.
        TestTokens.awaitKeycloak(Duration.ofMinutes(5));
        vertx = Vertx.vertx();
        Map<String, String> config = new HashMap<>();
        for (String service : SERVICES) {
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(request -> echo(service, request));
            int port = await(server.listen(0, "localhost").map(HttpServer::actualPort));
            config.put("gateway.services." + service + ".url", "http://localhost:" + port);
        }
        config.put("gateway.services.offline.url", "http://localhost:" + unusedPort());
        config.put("gateway.services.offline.paths", "/offline/.*");
        config.put("gateway.upstream.timeout", "2s");
        // Rate-limit buckets live in the real Redis (127.0.0.1:6379), which other runs of these tests (and the local
        // platform, as instance "run") share: each start of the gateway under test counts in a namespace of its own.
        config.put("gateway.rate-limit.redis.key-prefix", keyPrefix());
        config.put("gateway.session.key-prefix", keyPrefix().replace(":ratelimit-", ":session-ended-"));
        return config;
    }

    @Override
    public void stop() {
        if (vertx != null) {
            await(vertx.close());
        }
    }

    /** Path on each echo server that lists the calls it received so far (not relayed by the gateway: no route). */
    public static final String CALLS_PATH = "/__calls";

    private final Map<String, io.vertx.core.json.JsonArray> calls = new java.util.concurrent.ConcurrentHashMap<>();

    private void echo(String service, HttpServerRequest request) {
        if (CALLS_PATH.equals(request.path())) {
            io.vertx.core.json.JsonArray received = calls.getOrDefault(service, new io.vertx.core.json.JsonArray());
            synchronized (received) {
                request.response().putHeader("Content-Type", "application/json").end(received.encode());
            }
            return;
        }
        io.vertx.core.json.JsonArray received = calls.computeIfAbsent(service, s -> new io.vertx.core.json.JsonArray());
        synchronized (received) {
            received.add(new JsonObject().put("method", request.method().name()).put("path", request.path())
                    .put("authorization", request.getHeader("Authorization"))
                    .put("correlationId", request.getHeader("X-Correlation-Id")));
        }
        request.body().onSuccess(body -> {
            JsonObject echo = new JsonObject()
                    .put("service", service)
                    .put("method", request.method().name())
                    .put("path", request.path())
                    .put("query", request.query())
                    .put("authorization", request.getHeader("Authorization"))
                    .put("correlationId", request.getHeader("X-Correlation-Id"))
                    .put("idempotencyKey", request.getHeader("Idempotency-Key"))
                    .put("contentType", request.getHeader("Content-Type"))
                    .put("transferEncoding", request.getHeader("Transfer-Encoding"))
                    .put("contentLength", request.getHeader("Content-Length"))
                    .put("accept", request.getHeader("Accept"))
                    .put("cookie", request.getHeader("Cookie"))
                    .put("xsrfHeader", request.getHeader("X-XSRF-TOKEN"))
                    .put("connectionHeader", request.getHeader("X-Hop-Test"))
                    .put("custom", request.getHeader("X-Custom"))
                    .put("forwardedFor", request.getHeader("X-Forwarded-For"))
                    .put("traceparent", new io.vertx.core.json.JsonArray(request.headers().getAll("traceparent")))
                    .put("bodyLength", body.length())
                    .put("body", body.length() <= 65_536 ? body.toString() : null);
            int status = request.getParam("status") == null ? 200 : Integer.parseInt(request.getParam("status"));
            long delay = request.getParam("delayMs") == null ? 0 : Long.parseLong(request.getParam("delayMs"));
            Runnable answer = () -> request.response()
                    .setStatusCode(status)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("X-Upstream", service)
                    .putHeader("Cache-Control", "max-age=3600")
                    .putHeader("Set-Cookie", "upstream-session=must-not-reach-the-browser")
                    .end(echo.encode());
            if (delay > 0) {
                vertx.setTimer(delay, id -> answer.run());
            } else {
                answer.run();
            }
        });
    }

    /**
     * The test instance's prefix with a random suffix ({@code test:ratelimit-1a2b3c4d}): the Redis key prefix of one
     * gateway start under test.
     */
    /** The calls a service's echo server has received, oldest first (what a real service would have been asked). */
    public static io.vertx.core.json.JsonArray callsReceivedBy(String service) {
        String url = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("gateway.services." + service + ".url", String.class);
        try {
            java.net.http.HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + CALLS_PATH)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return new io.vertx.core.json.JsonArray(answer.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String keyPrefix() {
        return System.getProperty("incentives.instance", "test") + ":ratelimit-"
                + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    public static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(io.vertx.core.Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
