package com.acme.incentives.gateway.proxy;

import java.util.regex.Pattern;

/** One row of the route table: API paths matching {@code pattern} belong to {@code service}, run by {@code pool}. */
public record ServiceRoute(String service, UpstreamPool pool, Pattern pattern) {

    /**
     * Where one replica of a service runs; {@code basePath} is prepended to the caller's path (empty for a service at
     * the root).
     */
    public record Upstream(String host, int port, boolean ssl, String basePath) {

        /** How logs and metrics name the replica: {@code host:port}. */
        public String name() {
            return host + ":" + port;
        }
    }
}
