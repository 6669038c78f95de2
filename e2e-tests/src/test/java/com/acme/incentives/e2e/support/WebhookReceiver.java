package com.acme.incentives.e2e.support;

import com.acme.incentives.e2e.contract.ContractCheck;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A partner's webhook receiver written from the Standard Webhooks specification alone (not from our sender's code),
 * on 127.0.0.1 at a free port: it verifies every request's {@code webhook-signature} (HMAC-SHA256 of
 * {@code id.timestamp.body} with the base64 key after {@code whsec_}), answers 500 to the first {@code failures}
 * attempts of each message, then 200, and applies each message once, deduplicated by {@code webhook-id}, as the
 * convention asks of receivers. Every verified request is also held to the API contract's {@code webhooks} (its
 * headers and its payload's schema: {@link ContractCheck#recordWebhook}), so the documented payloads cannot drift from
 * what is sent.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as it arrived, with what the receiver answered. */
    public record Request(String id, String body, boolean verified, int answered) {
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
        server.createContext("/hooks/incentives", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/incentives";
    }

    /** A signing secret ({@code whsec_…}) this receiver accepts. */
    public void trust(String secret) {
        secrets.add(secret);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
        boolean verified = id != null && timestamp != null && signature != null && verifies(id, timestamp, body,
                signature);
        if (verified) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT),
                    values.get(0)));
            ContractCheck.recordWebhook(headers, body);
        }
        int answer;
        if (!verified) {
            answer = 401;
        } else if (attempts.computeIfAbsent(id, i -> new AtomicInteger()).incrementAndGet() <= failures) {
            answer = 500;
        } else {
            applied.putIfAbsent(id, body);
            answer = 204;
        }
        requests.add(new Request(id, body, verified, answer));
        exchange.sendResponseHeaders(answer, -1);
        exchange.close();
    }

    private boolean verifies(String id, String timestamp, String body, String header) {
        for (String secret : secrets) {
            byte[] expected = hmac(secret, id + "." + timestamp + "." + body);
            for (String entry : header.split(" ")) {
                if (entry.startsWith("v1,") && MessageDigest.isEqual(expected,
                        Base64.getDecoder().decode(entry.substring(3)))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] hmac(String secret, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())),
                    "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Request> requests() {
        return new ArrayList<>(requests);
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
