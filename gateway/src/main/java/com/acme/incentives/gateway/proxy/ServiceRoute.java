package com.acme.incentives.gateway.proxy;

import java.util.regex.Pattern;

/** One row of the route table: API paths matching {@code pattern} belong to {@code service}. */
public record ServiceRoute(String service, Upstream upstream, Pattern pattern) {

    /** Where a service runs; {@code basePath} is prepended to the caller's path (empty for a service at the root). */
    public record Upstream(String host, int port, boolean ssl, String basePath) {
    }
}
