package com.acme.incentives.enrollment.webhooks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A partner's receiver as the Standard Webhooks convention expects one, on 127.0.0.1 at a free port: it verifies every
 * request's signature (recomputing the HMAC with the secrets it knows), answers 500 to the first {@code failures}
 * attempts of each message, then 200, and applies each message once (deduplicated by webhook-id).
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived. */
    public record Request(String id, long timestamp, List<String> signatures, String body, String userAgent,
            String contentType, boolean verified, int answered) {
    }

    private final HttpServer server;
    private final int failures;
    private final List<String> secrets = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, String> applied = Collections.synchronizedMap(new LinkedHashMap<>());

    public WebhookReceiver(int failures) throws IOException {
        this.failures = failures;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** A secret this receiver verifies signatures with. */
    public void trust(String secret) {
        secrets.add(secret);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
        List<String> signatures = signature == null ? List.of() : List.of(signature.split(" "));
        boolean verified = id != null && timestamp != null && verifies(id, Long.parseLong(timestamp), body, signatures);
        int answer;
        if (!verified) {
            answer = 401;
        } else if (attempts.computeIfAbsent(id, i -> new AtomicInteger()).incrementAndGet() <= failures) {
            answer = 500;
        } else {
            applied.putIfAbsent(id, body);
            answer = 200;
        }
        requests.add(new Request(id, timestamp == null ? 0 : Long.parseLong(timestamp), signatures, body,
                exchange.getRequestHeaders().getFirst("User-Agent"),
                exchange.getRequestHeaders().getFirst("Content-Type"), verified, answer));
        byte[] reply = (answer == 500 ? "busy, try later" : "ok").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer, reply.length);
        exchange.getResponseBody().write(reply);
        exchange.close();
    }

    /** Whether one of the v1 signatures is the HMAC of one of the trusted secrets. */
    private boolean verifies(String id, long timestamp, String body, List<String> signatures) {
        for (String secret : secrets) {
            String expected = "v1," + WebhookSigner.sign(secret, id, timestamp, body);
            if (signatures.contains(expected)) {
                return true;
            }
        }
        return false;
    }

    /** Whether this v1 signature entry is the HMAC with this secret. */
    public static boolean signedWith(Request request, String signature, String secret) {
        return signature.equals("v1," + WebhookSigner.sign(secret, request.id(), request.timestamp(),
                request.body()));
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    public List<Request> requests(String id) {
        return requests.stream().filter(r -> id.equals(r.id())).toList();
    }

    /** The bodies applied, in the order they were applied, by webhook-id. */
    public Map<String, String> applied() {
        synchronized (applied) {
            return new LinkedHashMap<>(applied);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
