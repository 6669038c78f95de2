package com.acme.incentives.gateway.proxy;

import com.acme.incentives.gateway.problem.GatewayMessages;
import com.acme.incentives.gateway.config.GatewayConfig;
import com.acme.incentives.gateway.edge.RequestLimits;
import com.acme.incentives.gateway.edge.CorrelationIds;
import com.acme.incentives.platform.correlation.CorrelationId;
import com.acme.incentives.platform.problem.ProblemType;
import com.acme.incentives.gateway.problem.Problems;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Relays an API call to the service that owns it, streaming both bodies (an earnings batch of megabytes is never held
 * in memory) over a pool of keep-alive connections, and answers problem+json when the service cannot be reached (502)
 * or stays silent too long (504). Everything about the message passes unchanged except what describes the hop
 * (hop-by-hop headers), the browser's cookies (a service has no use for them and must never see the session), and
 * the credentials, which become the caller's access token.
 *
 * <p>A service may run as several replicas ({@link UpstreamPool}): each call goes to the next one round-robin. When a
 * replica cannot be connected to (refused, connect timeout), the same call is tried on the next replica: safe, since
 * not a byte of it has been sent. Once the request has started going out it is never retried (the service may have
 * acted on it); a failure from then on is the caller's 502 or 504.
 */
@Singleton
public class UpstreamProxy {

    private static final Logger LOG = Logger.getLogger(UpstreamProxy.class);

    /** Request headers the gateway replaces, or that must not reach a service. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "cookie", "authorization", "expect",
            "x-xsrf-token", "x-correlation-id", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host",
            "forwarded");
    /** Response headers the gateway replaces, or that must not reach the browser from a service. */
    private static final Set<String> NOT_RETURNED = Set.of("set-cookie", "x-correlation-id", "content-length");

    private static final TextMapSetter<MultiMap> TRACE_HEADER_SETTER = MultiMap::set;

    /** Routing-context key of the replica that took the call, for the access log line. */
    private static final String REPLICA = "gateway.upstream.replica";

    /** Status classes 1xx to 5xx, indexed by {@code status / 100} (slot 0 unused). */
    private static final int STATUS_CLASSES = 6;

    /**
     * {@code gateway.upstream.requests} per service and status class. Building and registering a meter per call
     * (a builder, a tag list, the registry's lookup by id) costs more than recording into it.
     */
    private final ConcurrentMap<String, AtomicReferenceArray<Timer>> timers = new ConcurrentHashMap<>();
    private final long slowCallNanos;
    private final HttpClient client;
    private final GatewayConfig.Upstream settings;
    private final RequestLimits bodySizeLimit;
    private final MeterRegistry meters;
    private final TextMapPropagator tracePropagator;

    UpstreamProxy(Vertx vertx, GatewayConfig config, ServiceRouteTable routeTable, RequestLimits bodySizeLimit,
            MeterRegistry meters, OpenTelemetry openTelemetry) {
        this.settings = config.upstream();
        this.slowCallNanos = settings.slowCall().toNanos();
        this.bodySizeLimit = bodySizeLimit;
        this.meters = meters;
        this.tracePropagator = openTelemetry.getPropagators().getTextMapPropagator();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setName("gateway-upstream")
                .setKeepAlive(true)
                // Below the services' own idle timeout, so we never send on a connection they are closing.
                .setKeepAliveTimeout(30)
                .setMaxPoolSize(settings.maxConnectionsPerService())
                .setConnectTimeout((int) settings.connectTimeout().toMillis())
                // Bodies pass through as the service encoded them, with their Content-Encoding.
                .setDecompressionSupported(false)
                // The trace context is set by hand (upstreamHeaders): the client's own tracing would add a second
                // traceparent header next to the caller's or ours, and a service must see exactly one.
                .setTracingPolicy(TracingPolicy.IGNORE));
        for (UpstreamPool pool : routeTable.pools()) {
            Gauge.builder("gateway.upstream.replicas.available", pool, p -> p.inRotation(System.nanoTime()))
                    .description("Replicas of the service in rotation (not skipped after a failed connection)")
                    .tag("service", pool.service())
                    .register(meters);
        }
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public void forward(RoutingContext ctx, ServiceRoute route, String accessToken) {
        long started = System.nanoTime();
        ctx.addEndHandler(done -> record(ctx, route, started));
        MultiMap headers = upstreamHeaders(ctx, accessToken);
        connect(ctx, route, headers, route.pool().attemptOrder(started), 0, new StringBuilder());
    }

    /**
     * A call the gateway makes itself, on a user's behalf (not relaying one): {@code GET path} on the service with the
     * user's access token, over the same pool, trying the service's replicas in turn when one cannot be connected to,
     * as a relayed call does. Completes with the answer's status (the body is read and dropped); fails when no replica
     * answered within {@code timeout}.
     */
    public Future<Integer> get(ServiceRoute route, String path, String accessToken,
            String correlationId, Duration timeout) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .set(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
                .set(HttpHeaders.ACCEPT, "application/json")
                .set(CorrelationId.HEADER, correlationId);
        tracePropagator.inject(Context.current(), headers, TRACE_HEADER_SETTER);
        return get(route, path, headers, route.pool().attemptOrder(System.nanoTime()), 0, timeout.toMillis());
    }

    private Future<Integer> get(ServiceRoute route, String path, MultiMap headers,
            List<UpstreamPool.Replica> order, int attempt, long timeoutMillis) {
        UpstreamPool.Replica replica = order.get(attempt);
        ServiceRoute.Upstream upstream = replica.address();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setSsl(upstream.ssl())
                .setURI(upstream.basePath() + path)
                .setHeaders(headers)
                .setConnectTimeout(Math.min(settings.connectTimeout().toMillis(), timeoutMillis))
                .setIdleTimeout(timeoutMillis);
        return client.request(options).transform(opened -> {
            if (opened.failed()) {
                // Not a byte was sent: the next replica may take it, as for a relayed call.
                connectFailures(route, replica).increment();
                route.pool().connectFailed(replica, System.nanoTime());
                return attempt + 1 < order.size()
                        ? get(route, path, headers, order, attempt + 1, timeoutMillis)
                        : Future.failedFuture(opened.cause());
            }
            route.pool().connected(replica);
            return opened.result().send().compose(response -> response.body().map(body -> response.statusCode()));
        });
    }

    /**
     * Opens the call on the {@code attempt}-th replica of {@code order}. Until {@code client.request} succeeds nothing
     * has been written (Vert.x sends the head with the first write or end, in {@link #exchange}), so any failure here
     * means the replica could not be reached and the next one may be tried.
     */
    private void connect(RoutingContext ctx, ServiceRoute route, MultiMap headers, List<UpstreamPool.Replica> order,
            int attempt, StringBuilder failures) {
        HttpServerRequest in = ctx.request();
        UpstreamPool.Replica replica = order.get(attempt);
        ServiceRoute.Upstream upstream = replica.address();
        RequestOptions options = new RequestOptions()
                .setMethod(in.method())
                .setHost(upstream.host())
                .setPort(upstream.port())
                .setSsl(upstream.ssl())
                .setURI(upstream.basePath() + ctx.normalizedPath() + (in.query() == null ? "" : "?" + in.query()))
                .setHeaders(headers)
                .setConnectTimeout(settings.connectTimeout().toMillis());
        client.request(options)
                .onSuccess(request -> {
                    if (route.pool().connected(replica)) {
                        LOG.infof("Upstream %s replica %s accepts connections again", route.service(), replica);
                    }
                    ctx.put(REPLICA, replica.name());
                    exchange(ctx, route, replica, request);
                })
                .onFailure(failure -> {
                    connectFailures(route, replica).increment();
                    if (route.pool().connectFailed(replica, System.nanoTime())) {
                        LOG.warnf("Upstream %s replica %s could not be connected to (%s): skipped for %d s",
                                route.service(), replica, failure, settings.ejectFor().toSeconds());
                    }
                    failures.append(failures.isEmpty() ? "" : "; ").append(replica).append(": ").append(failure);
                    if (attempt + 1 < order.size() && !ctx.response().ended() && !ctx.response().closed()) {
                        LOG.debugf("Upstream %s replica %s failed to connect; trying %s", route.service(), replica,
                                order.get(attempt + 1));
                        connect(ctx, route, headers, order, attempt + 1, failures);
                        return;
                    }
                    if (ctx.response().ended()) {
                        return;
                    }
                    LOG.warnf("Upstream %s unreachable (%s)", route.service(), failures);
                    Problems.send(ctx, ProblemType.BAD_GATEWAY, GatewayMessages.SERVICE_UNREACHABLE, route.service());
                });
    }

    private Counter connectFailures(ServiceRoute route, UpstreamPool.Replica replica) {
        return Counter.builder("gateway.upstream.connect.failures")
                .description("Connections to a service replica that were refused or timed out (the call then went to "
                        + "the next replica, if any)")
                .tag("service", route.service())
                .tag("replica", replica.name())
                .register(meters);
    }

    private void exchange(RoutingContext ctx, ServiceRoute route, UpstreamPool.Replica replica,
            HttpClientRequest upstream) {
        // Failures surface through the response future below; this only keeps them from being logged twice.
        upstream.exceptionHandler(failure -> LOG.debugf("Upstream %s (%s): %s", route.service(), replica, failure));
        // The caller went away: stop the service's work on an answer nobody will read.
        ctx.response().closeHandler(v -> upstream.reset());
        upstream.response()
                .onSuccess(response -> relay(ctx, route, replica, response))
                .onFailure(failure -> answerFailure(ctx, route, replica, failure));
        sendBody(ctx, upstream);
    }

    private void sendBody(RoutingContext ctx, HttpClientRequest upstream) {
        HttpServerRequest in = ctx.request();
        String length = in.getHeader(HttpHeaders.CONTENT_LENGTH);
        boolean streamed = length == null && (in.headers().contains(HttpHeaders.TRANSFER_ENCODING)
                || in.version() == HttpVersion.HTTP_2 && !in.isEnded());
        if (length == null && !streamed || "0".equals(length)) {
            endAndAwaitAnswer(upstream);
            in.resume(); // lets the (empty) request complete, so the connection can carry the next one
            return;
        }
        // A streamed body is sent on chunked only once its first bytes arrive: an HTTP/2 request (the JDK's client
        // upgrades to h2c) announces no length even for a GET, and an empty one must reach the service as no body at
        // all, not as an empty chunked body that the service would take for a body without a Content-Type (415).
        // The client held its body back until we agreed to take it; we only agree now that the call is allowed.
        if ("100-continue".equalsIgnoreCase(in.getHeader(HttpHeaders.EXPECT))) {
            ctx.response().writeContinue();
        }
        long max = bodySizeLimit.maxBytes();
        long[] received = {0};
        boolean[] abandoned = {false};
        in.handler(chunk -> {
            received[0] += chunk.length();
            if (abandoned[0]) {
                // Keep reading a while, so an ordinary client (which sends its whole body before it reads the answer)
                // sees the 413 rather than a broken pipe; past twice the limit it is not worth receiving.
                if (received[0] > 2 * max) {
                    in.connection().close();
                }
                return;
            }
            if (received[0] > max) { // only a body without Content-Length gets here; a declared one was judged earlier
                abandoned[0] = true;
                // Answer first: resetting the upstream request fails its response, which would otherwise answer 502.
                Problems.send(ctx, ProblemType.PAYLOAD_TOO_LARGE, GatewayMessages.BODY_EXCEEDS_LIMIT, max);
                upstream.reset();
                return;
            }
            if (chunk.length() == 0) {
                return;
            }
            if (streamed && !upstream.isChunked()) {
                upstream.setChunked(true);
            }
            upstream.write(chunk);
            if (upstream.writeQueueFull()) { // the service reads slower than the caller sends: slow the caller
                in.pause();
                upstream.drainHandler(v -> in.resume());
            }
        });
        in.endHandler(v -> {
            if (!abandoned[0]) {
                endAndAwaitAnswer(upstream);
            }
        });
        in.exceptionHandler(failure -> upstream.reset());
        in.resume();
    }

    /**
     * The timeout starts once the request is fully sent: a large upload over a slow link is not the service's
     * silence. From then on it is an idle timeout, so a long but steady download is not cut either.
     */
    private void endAndAwaitAnswer(HttpClientRequest upstream) {
        upstream.end();
        upstream.idleTimeout(settings.timeout().toMillis());
    }

    private void relay(RoutingContext ctx, ServiceRoute route, UpstreamPool.Replica replica,
            HttpClientResponse response) {
        HttpServerResponse out = ctx.response();
        if (out.ended() || out.headWritten()) {
            response.request().reset();
            return;
        }
        out.setStatusCode(response.statusCode());
        if (response.statusMessage() != null) {
            out.setStatusMessage(response.statusMessage());
        }
        Set<String> hopByHop = HopByHopHeaders.of(response.headers());
        for (String name : response.headers().names()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!hopByHop.contains(lower) && !NOT_RETURNED.contains(lower)) {
                out.headers().set(name, response.headers().getAll(name));
            }
        }
        String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            out.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else if (mayHaveBody(ctx.request().method(), response.statusCode())) {
            out.setChunked(true);
        }
        response.pipe()
                // Ending normally after a failure would hand the caller a truncated body as if it were complete.
                .endOnFailure(false)
                .to(out)
                .onFailure(failure -> {
                    LOG.warnf("Upstream %s (%s) failed while its answer was being relayed: %s", route.service(),
                            replica, failure);
                    out.reset();
                });
    }

    /** The request had (or may have) started going out: never retried, whatever the service has done with it. */
    private void answerFailure(RoutingContext ctx, ServiceRoute route, UpstreamPool.Replica replica,
            Throwable failure) {
        if (ctx.response().ended()) {
            return;
        }
        if (failure instanceof TimeoutException) {
            LOG.warnf("Upstream %s (%s) timed out: %s", route.service(), replica, failure.getMessage());
            Problems.send(ctx, ProblemType.GATEWAY_TIMEOUT, GatewayMessages.SERVICE_TIMEOUT, route.service(),
                    settings.timeout().toSeconds());
        } else {
            LOG.warnf("Upstream %s (%s) failed after the request was sent: %s", route.service(), replica,
                    failure.toString());
            Problems.send(ctx, ProblemType.BAD_GATEWAY, GatewayMessages.SERVICE_UNREACHABLE, route.service());
        }
    }

    private MultiMap upstreamHeaders(RoutingContext ctx, String accessToken) {
        HttpServerRequest in = ctx.request();
        Set<String> hopByHop = HopByHopHeaders.of(in.headers());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        for (Map.Entry<String, String> header : in.headers()) {
            String lower = header.getKey().toLowerCase(Locale.ROOT);
            if (!hopByHop.contains(lower) && !NOT_FORWARDED.contains(lower)) {
                headers.add(header.getKey(), header.getValue());
            }
        }
        headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken);
        headers.set(CorrelationId.HEADER, CorrelationIds.of(ctx));
        // The service continues the gateway's trace: this request's span context replaces the caller's traceparent
        // and tracestate (which that span already continues). With tracing off there is no current span, nothing is
        // injected, and the caller's headers, if any, pass through as they came.
        tracePropagator.inject(Context.current(), headers, TRACE_HEADER_SETTER);
        String forwardedFor = in.getHeader("X-Forwarded-For");
        String remote = in.remoteAddress() == null ? "unknown" : in.remoteAddress().hostAddress();
        headers.set("X-Forwarded-For", forwardedFor == null ? remote : forwardedFor + ", " + remote);
        headers.set("X-Forwarded-Proto", in.scheme());
        String host = in.getHeader(HttpHeaders.HOST);
        if (host != null) {
            headers.set("X-Forwarded-Host", host);
        }
        return headers;
    }

    private static boolean mayHaveBody(HttpMethod method, int status) {
        return method != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
    }

    /**
     * Runs on the event loop once per relayed call, so it does as little as it can: the timer is looked up in
     * {@link #timers}, and the access log line is written at INFO only for a call an operator would look for (slow,
     * or answered 5xx), at DEBUG for the rest. Writing one per call was a tenth of the gateway's CPU under load
     * (BENCHMARKS.md, "Gateway overhead, 2026-12-03"); the metrics and traces count and time every call anyway.
     */
    private void record(RoutingContext ctx, ServiceRoute route, long started) {
        long nanos = System.nanoTime() - started;
        int status = ctx.response().getStatusCode();
        timer(route.service(), status).record(nanos, TimeUnit.NANOSECONDS);
        Logger.Level level = status >= 500 || nanos >= slowCallNanos ? Logger.Level.INFO : Logger.Level.DEBUG;
        if (LOG.isEnabled(level)) {
            String replica = ctx.get(REPLICA);
            LOG.logf(level, "%s %s -> %s%s %d (%d ms)", ctx.request().method(), ctx.normalizedPath(), route.service(),
                    replica == null ? "" : " (" + replica + ")", status, TimeUnit.NANOSECONDS.toMillis(nanos));
        }
    }

    /** The service's timer for the status class, registered with its first call (so no series without calls). */
    private Timer timer(String service, int status) {
        int statusClass = status / 100;
        if (statusClass < 1 || statusClass >= STATUS_CLASSES) {
            return registerTimer(service, statusClass); // not an HTTP status: not worth a slot
        }
        AtomicReferenceArray<Timer> byClass = timers.computeIfAbsent(service,
                s -> new AtomicReferenceArray<>(STATUS_CLASSES));
        Timer timer = byClass.get(statusClass);
        if (timer == null) {
            // Two event loops may both get here: Micrometer hands both the same meter.
            timer = registerTimer(service, statusClass);
            byClass.set(statusClass, timer);
        }
        return timer;
    }

    private Timer registerTimer(String service, int statusClass) {
        return Timer.builder("gateway.upstream.requests")
                .description("API calls relayed to a service, by service and answer status class")
                .tag("service", service)
                .tag("status", statusClass + "xx")
                .register(meters);
    }
}
