package com.acme.incentives.e2e.support;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Requests through the e2e gateway, paced under its per-client rate limit (20 requests/s for the e2e instance, see
 * deploy/local/services.sh) so that the generated suites, which send thousands of requests, test the services behind
 * it rather than the limiter.
 */
public final class Gateway {

    public static final String URL = "http://localhost:8090";
    private static final long MIN_INTERVAL_NANOS = 66_000_000L;
    private static long last;

    private Gateway() {
    }

    public static RequestSpecification request() {
        pace();
        return RestAssured.given().baseUri(URL).port(8090).basePath("").redirects().follow(false);
    }

    private static synchronized void pace() {
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
