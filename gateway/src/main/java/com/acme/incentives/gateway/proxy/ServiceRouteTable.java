package com.acme.incentives.gateway.proxy;

import com.acme.incentives.gateway.config.GatewayConfig;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which service owns an API path, from the {@code gateway.services.*} configuration, and the replicas that run it
 * (one URL, or several separated by commas). Built once at start-up, so a malformed URL or pattern stops the gateway
 * from starting instead of failing calls later.
 */
@Singleton
public class ServiceRouteTable {

    private final String apiPrefix;
    private final List<ServiceRoute> routes;
    private final List<UpstreamPool> pools;

    ServiceRouteTable(GatewayConfig config) {
        this.apiPrefix = stripTrailingSlash(config.apiPrefix());
        this.routes = build(config.services(), config.upstream().ejectFor());
        this.pools = routes.stream().map(ServiceRoute::pool).distinct().toList();
    }

    /** Each service's replicas, once per service. */
    public List<UpstreamPool> pools() {
        return pools;
    }

    /** The route for a (normalized) request path, or empty when no service owns it. */
    public Optional<ServiceRoute> match(String path) {
        if (!path.startsWith(apiPrefix + "/")) {
            return Optional.empty();
        }
        String below = path.substring(apiPrefix.length());
        for (ServiceRoute route : routes) {
            if (route.pattern().matcher(below).matches()) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    private static List<ServiceRoute> build(Map<String, GatewayConfig.Service> services, Duration ejectFor) {
        List<Map.Entry<String, GatewayConfig.Service>> ordered = new ArrayList<>(services.entrySet());
        // The configuration is a map (so each service's URL can be overridden by an environment variable); maps have
        // no order, so "first match wins" needs one of its own.
        ordered.sort(Comparator.<Map.Entry<String, GatewayConfig.Service>>comparingInt(e -> e.getValue().order())
                .thenComparing(Map.Entry::getKey));
        List<ServiceRoute> routes = new ArrayList<>();
        for (Map.Entry<String, GatewayConfig.Service> entry : ordered) {
            UpstreamPool pool = new UpstreamPool(entry.getKey(), upstreams(entry.getKey(), entry.getValue().url()),
                    ejectFor);
            for (String regex : entry.getValue().paths()) {
                routes.add(new ServiceRoute(entry.getKey(), pool, compile(entry.getKey(), regex.trim())));
            }
        }
        return List.copyOf(routes);
    }

    /** {@code http://a:8101} or {@code http://a:8101,http://b:8101}: one replica per URL, in the order given. */
    static List<ServiceRoute.Upstream> upstreams(String service, String urls) {
        List<ServiceRoute.Upstream> upstreams = new ArrayList<>();
        for (String url : urls.split(",")) {
            if (!url.isBlank()) {
                upstreams.add(upstream(service, url));
            }
        }
        if (upstreams.isEmpty()) {
            throw new IllegalStateException("gateway.services." + service + ".url names no URL: " + urls);
        }
        if (upstreams.stream().map(ServiceRoute.Upstream::name).distinct().count() < upstreams.size()) {
            throw new IllegalStateException("gateway.services." + service + ".url names a replica twice: " + urls);
        }
        return List.copyOf(upstreams);
    }

    private static ServiceRoute.Upstream upstream(String service, String url) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("gateway.services." + service + ".url is not a URL: " + url, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalStateException("gateway.services." + service + ".url must be an http(s) URL: " + url);
        }
        boolean ssl = scheme.equals("https");
        int port = uri.getPort() != -1 ? uri.getPort() : ssl ? 443 : 80;
        String basePath = uri.getRawPath() == null ? "" : stripTrailingSlash(uri.getRawPath());
        return new ServiceRoute.Upstream(uri.getHost(), port, ssl, basePath);
    }

    private static Pattern compile(String service, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalStateException("gateway.services." + service + ".paths has an invalid pattern: " + regex, e);
        }
    }

    private static String stripTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
