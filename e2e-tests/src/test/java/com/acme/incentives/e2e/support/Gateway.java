package com.acme.incentives.e2e.support;

import com.acme.incentives.e2e.RunningPlatform;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests through the e2e instance's gateways, which run as replicas on 8090, 8091, ... (deploy/local/services.sh):
 * consecutive requests alternate between them, as a load balancer in front of the replicas would spread them, so
 * every journey also proves that whatever one gateway began (a browser session, a rate-limit budget) holds on the
 * other. Requests are paced under the per-client rate limit (50 requests/s for the e2e instance, shared by the
 * replicas; deploy/local/services.sh) so that the generated suites, which send thousands of requests, test the
 * services behind it rather than the limiter. One pace for every client of the run: a pace per client would allow
 * more, but the suites send from one thread, so it would gain nothing.
 */
public final class Gateway {

    /** Every gateway replica's base URL. */
    public static final List<String> URLS = urls(RunningPlatform.REPLICAS);
    /** The first gateway: for tests that must talk to one gateway only. */
    public static final String URL = URLS.get(0);
    private static final long MIN_INTERVAL_NANOS = 21_000_000L; // 47.6/s, under 50/s
    private static final AtomicInteger turn = new AtomicInteger();
    private static long last;

    private Gateway() {
    }

    /** The gateway the next request goes to, taking turns. */
    public static String next() {
        return URLS.get(Math.floorMod(turn.getAndIncrement(), URLS.size()));
    }

    public static RequestSpecification request() {
        return request(next());
    }

    /** A request to this gateway (one of {@link #URLS}). */
    public static RequestSpecification request(String gateway) {
        pace();
        return RestAssured.given().baseUri(gateway).port(URI.create(gateway).getPort()).basePath("").redirects()
                .follow(false);
    }

    private static List<String> urls(int replicas) {
        List<String> urls = new ArrayList<>();
        for (int n = 0; n < replicas; n++) {
            urls.add("http://localhost:" + (8090 + n));
        }
        return List.copyOf(urls);
    }

    /**
     * Waits as {@link #request()} does before each request: for clients other than rest-assured (the generated Java
     * client's request interceptor), so that they share the one pace under the rate limit.
     */
    public static synchronized void pace() {
        long now = System.nanoTime();
        long wait = last + MIN_INTERVAL_NANOS - now;
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        last = System.nanoTime();
    }
}
