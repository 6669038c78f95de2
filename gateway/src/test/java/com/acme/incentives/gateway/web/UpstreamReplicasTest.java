package com.acme.incentives.gateway.web;

import com.acme.incentives.gateway.support.EchoServices;
import com.acme.incentives.platform.testing.TestTokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A service run as two replicas (two real local HTTP servers this test starts and stops): calls alternate between
 * them, a stopped replica costs no call anything, a call that reached a replica is never sent to another.
 */
@QuarkusTest
@TestProfile(UpstreamReplicasTest.TwoReplicasEach.class)
@WithTestResource(EchoServices.class)
class UpstreamReplicasTest {

    static final String PROBLEM = "application/problem+json";

    public static class TwoReplicasEach implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "gateway.services.replicated.url", urls(2),
                    "gateway.services.replicated.paths", "/replicated/.*",
                    // one replica takes the call and drops the connection without answering; the other answers
                    "gateway.services.dropping.url", urls(2),
                    "gateway.services.dropping.paths", "/dropping/.*",
                    // nobody listens on either port
                    "gateway.services.down.url", urls(2),
                    "gateway.services.down.paths", "/down/.*",
                    "gateway.upstream.eject-for", "3s");
        }

        private static String urls(int count) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                urls.add("http://localhost:" + EchoServices.unusedPort());
            }
            return String.join(",", urls);
        }
    }

    private static Vertx vertx;
    private static final Map<Integer, HttpServer> RUNNING = new ConcurrentHashMap<>();
    private static final Map<Integer, AtomicInteger> RECEIVED = new ConcurrentHashMap<>();

    @Inject
    MeterRegistry meters;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        await(vertx.close());
    }

    @BeforeEach
    void replicasUp() {
        for (int port : ports("replicated")) {
            start(port, false);
        }
        List<Integer> dropping = ports("dropping");
        start(dropping.get(0), true);
        start(dropping.get(1), false);
    }

    @Test
    void callsAlternateBetweenTheReplicas() {
        awaitBothServe();
        List<Integer> served = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            served.add(call("/api/v1/replicated/things").then().statusCode(200).extract().as(Map.class)
                    .get("replica") instanceof Integer port ? port : -1);
        }
        for (int i = 1; i < served.size(); i++) {
            assertThat(served.get(i)).as("call %d went to the other replica than call %d", i, i - 1)
                    .isNotEqualTo(served.get(i - 1));
        }
        assertThat(served).containsOnlyElementsOf(ports("replicated"));
        assertThat(served.stream().distinct()).hasSize(2);
    }

    @Test
    void withOneReplicaStoppedEveryCallSucceedsThroughTheOtherAndItRejoinsWhenBack() {
        awaitBothServe();
        int stopped = ports("replicated").get(1);
        int running = ports("replicated").get(0);
        double failuresBefore = connectFailures(stopped);
        await(RUNNING.remove(stopped).close());

        for (int i = 0; i < 10; i++) {
            call("/api/v1/replicated/things").then().statusCode(200).body("replica", equalTo(running));
        }
        // Refused once (that call went on to the other replica), then skipped: passive health.
        assertThat(connectFailures(stopped) - failuresBefore).isEqualTo(1);
        assertThat(available("replicated")).isEqualTo(1);

        start(stopped, false);
        awaitBothServe(); // after gateway.upstream.eject-for (3 s here) it is tried, and serves again
        assertThat(available("replicated")).isEqualTo(2);
    }

    @Test
    void aCallThatReachedAReplicaIsNeverRetriedOnAnother() {
        List<Integer> dropping = ports("dropping");
        int droppedBefore = received(dropping.get(0));
        int answeredBefore = received(dropping.get(1));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 2; i++) { // round-robin: one call to each replica
            statuses.add(call("/api/v1/dropping/things").statusCode());
        }
        assertThat(statuses).containsExactlyInAnyOrder(200, 502);
        assertThat(received(dropping.get(0)) - droppedBefore).isEqualTo(1);
        assertThat(received(dropping.get(1)) - answeredBefore)
                .as("the call the first replica dropped was not sent to the second").isEqualTo(1);
    }

    @Test
    void whenNoReplicaCanBeReachedTheCallerGets502Problem() {
        call("/api/v1/down/things").then().statusCode(502)
                .contentType(PROBLEM)
                .body("type", equalTo("/problems/bad-gateway"))
                .body("status", equalTo(502))
                .body("detail", equalTo("The down service could not be reached"));
        for (int port : ports("down")) {
            assertThat(connectFailures(port)).as("replica localhost:%d was tried", port).isGreaterThanOrEqualTo(1);
        }
    }

    private static Response call(String path) {
        return given().auth().oauth2(TestTokens.operator()).when().get(path);
    }

    /** Both replicas answer through the gateway (a stopped one comes back after its ejection time). */
    private void awaitBothServe() {
        java.util.Set<Object> seen = new java.util.HashSet<>();
        Awaitility.await("both replicas serve").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Response response = call("/api/v1/replicated/things");
                    assertThat(response.statusCode()).isEqualTo(200);
                    seen.add(response.jsonPath().get("replica"));
                    return seen.size() == 2;
                });
    }

    private double connectFailures(int port) {
        Counter counter = meters.find("gateway.upstream.connect.failures").tag("replica", "localhost:" + port)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private double available(String service) {
        Gauge gauge = meters.find("gateway.upstream.replicas.available").tag("service", service).gauge();
        assertThat(gauge).isNotNull();
        return gauge.value();
    }

    private static List<Integer> ports(String service) {
        String urls = ConfigProvider.getConfig().getValue("gateway.services." + service + ".url", String.class);
        List<Integer> ports = new ArrayList<>();
        for (String url : urls.split(",")) {
            ports.add(URI.create(url.trim()).getPort());
        }
        return ports;
    }

    private static int received(int port) {
        return RECEIVED.computeIfAbsent(port, p -> new AtomicInteger()).get();
    }

    /** A replica: answers {"replica": <its port>}, or (dropping) reads the request and closes the connection. */
    private static void start(int port, boolean dropping) {
        if (RUNNING.containsKey(port)) {
            return;
        }
        AtomicInteger received = RECEIVED.computeIfAbsent(port, p -> new AtomicInteger());
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            received.incrementAndGet();
            if (dropping) {
                request.connection().close();
            } else {
                request.response().putHeader("Content-Type", "application/json")
                        .end("{\"replica\":" + port + "}");
            }
        }));
        RUNNING.put(port, await(server.listen(port, "localhost")));
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
