package com.acme.incentives.identity.keycloak;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * KeycloakAdmin's guard: what is retried, what is sent once, the timeout and the circuit breaker. Keycloak cannot be
 * made to answer 503, hang or refuse a token on demand, so the admin client here talks to a small HTTP server of the
 * test's that answers as Keycloak would in those cases and counts what it received (the happy paths run against the
 * real Keycloak in every other identity test). Token checks of the service itself still use the real Keycloak.
 */
@QuarkusTest
@TestProfile(KeycloakAdminFaultToleranceTest.FlakyKeycloak.class)
class KeycloakAdminFaultToleranceTest {

    public static class FlakyKeycloak implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("identity.keycloak-admin.timeout", "PT1S",
                    "identity.keycloak-admin.retry-delay", "PT0.02S",
                    "identity.keycloak-admin.circuit-breaker.open-for", "PT1S",
                    // No job of the service's may call Keycloak while a test counts the calls.
                    "identity.activation.poll-every", "1h",
                    "identity.provisioning.reconcile-every", "1h");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FakeKeycloak.class));
        }
    }

    /** An HTTP server standing where Keycloak's admin API would, answering as {@link #answer} says. */
    public static class FakeKeycloak implements QuarkusTestResourceLifecycleManager {
        static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
        static volatile Function<String, Reply> answer = request -> new Reply(200, "{}", 0);
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/", FakeKeycloak::handle);
            server.start();
            return Map.of("identity.keycloak-admin.url", "http://127.0.0.1:" + server.getAddress().getPort());
        }

        private static void handle(HttpExchange exchange) throws IOException {
            String path = exchange.getRequestURI().getPath();
            String request = exchange.getRequestMethod() + " " + path;
            Reply reply = path.endsWith("/protocol/openid-connect/token")
                    ? new Reply(200, "{\"access_token\":\"token-" + UUID.randomUUID()
                            + "\",\"expires_in\":300,\"token_type\":\"Bearer\"}", 0)
                    : answer.apply(request);
            REQUESTS.add(request);
            try {
                if (reply.delayMillis() > 0) {
                    Thread.sleep(reply.delayMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (reply.status() == 201) {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1" + path + "/" + CREATED);
            }
            try {
                exchange.sendResponseHeaders(reply.status(), reply.status() == 204 || body.length == 0 ? -1
                        : body.length);
                if (reply.status() != 204 && body.length > 0) {
                    exchange.getResponseBody().write(body);
                }
            } catch (IOException e) {
                // The client gave up (the timeout test): nothing to answer to.
            }
            exchange.close();
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    record Reply(int status, String body, long delayMillis) {
    }

    static final UUID CREATED = UUID.fromString("00000000-0000-0000-0000-00000000c0de");
    static final UUID USER = UUID.randomUUID();

    @Inject
    KeycloakAdmin keycloak;

    @Inject
    KeycloakAdminConfig config;

    private String realm() {
        return config.realm();
    }

    @BeforeEach
    void healthyAndClosed() {
        FakeKeycloak.answer = request -> new Reply(200, "[]", 0);
        // The guard, and so its breaker, is made with the bean at its first call.
        keycloak.findClient("warm-up");
        CircuitBreakerMaintenance.get().reset(KeycloakAdmin.BREAKER);
        FakeKeycloak.REQUESTS.clear();
    }

    @Test
    void aReadThatFailsIsRetriedAndThenReportedAsMaybeApplied() {
        FakeKeycloak.answer = request -> new Reply(503, "", 0);

        assertThatThrownBy(() -> keycloak.user(USER))
                .isInstanceOfSatisfying(KeycloakUnavailableException.class,
                        e -> assertThat(e.certainlyNotApplied()).isFalse())
                .hasMessageContaining("HTTP 503");
        // The first attempt and two retries.
        assertThat(adminRequests()).containsExactly("GET /users/" + USER, "GET /users/" + USER,
                "GET /users/" + USER);
    }

    @Test
    void aReadIsRetriedUntilItSucceeds() {
        int[] calls = {0};
        FakeKeycloak.answer = request -> request.contains("/users/") && ++calls[0] < 3
                ? new Reply(502, "", 0)
                : new Reply(200, "{\"id\":\"" + USER + "\",\"email\":\"x@partner.example\",\"enabled\":true}", 0);

        assertThat(keycloak.user(USER).email()).isEqualTo("x@partner.example");
        assertThat(adminRequests()).hasSize(3);
    }

    @Test
    void aCreationThatReachedKeycloakIsNeverSentTwice() {
        FakeKeycloak.answer = request -> new Reply(503, "", 0);

        assertThatThrownBy(() -> keycloak.createUser("once@partner.example", "A", "B", Map.of(), "Temp-1234-xyz"))
                .isInstanceOfSatisfying(KeycloakUnavailableException.class,
                        e -> assertThat(e.certainlyNotApplied()).isFalse())
                // The request carried a temporary password: no part of it is in the message.
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Temp-1234-xyz"));
        assertThat(adminRequests()).containsExactly("POST /users");
    }

    @Test
    void aCallRefusedForItsTokenIsRetriedWithAFreshToken() {
        int[] posts = {0};
        // A revoked service-account token: the admin API answers 401 until a new token is used.
        FakeKeycloak.answer = request -> ++posts[0] == 1 ? new Reply(401, "", 0) : new Reply(201, "", 0);

        assertThat(keycloak.createUser("fresh@partner.example", "A", "B", Map.of(), "Temp-1234-xyz"))
                .isEqualTo(CREATED);
        assertThat(FakeKeycloak.REQUESTS).containsSubsequence("POST /admin/realms/" + realm() + "/users",
                "POST /realms/" + realm() + "/protocol/openid-connect/token",
                "POST /admin/realms/" + realm() + "/users");

        // Refused every time: never applied, which the caller may rely on (it releases the email at once).
        FakeKeycloak.answer = request -> new Reply(403, "", 0);
        assertThatThrownBy(() -> keycloak.createUser("refused@partner.example", "A", "B", Map.of(), "Temp-1234-xyz"))
                .isInstanceOfSatisfying(KeycloakUnavailableException.class,
                        e -> assertThat(e.certainlyNotApplied()).isTrue());
    }

    @Test
    void aCreationAnswersTheNewIdAndAConflictIsNotAFailure() {
        FakeKeycloak.answer = request -> new Reply(201, "", 0);
        assertThat(keycloak.createUser("new@partner.example", "A", "B", Map.of(), "Temp-1234-xyz")).isEqualTo(CREATED);

        FakeKeycloak.answer = request -> new Reply(409, "{\"errorMessage\":\"User exists with same email\"}", 0);
        for (int i = 0; i < 12; i++) {
            assertThatThrownBy(() -> keycloak.createUser("taken@partner.example", "A", "B", Map.of(), "Temp-1234-xyz"))
                    .isInstanceOf(KeycloakConflictException.class);
        }
        // Twelve conflicts, each sent once, and the breaker still closed: Keycloak answered every one.
        assertThat(adminRequests()).hasSize(13);
        assertThat(CircuitBreakerMaintenance.get().currentState(KeycloakAdmin.BREAKER))
                .isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void aDeletionOfWhatIsGoneSucceeds() {
        FakeKeycloak.answer = request -> new Reply(404, "", 0);
        keycloak.deleteUser(USER);
        assertThat(adminRequests()).containsExactly("DELETE /users/" + USER);
    }

    @Test
    void anAttemptThatHangsTimesOutAndIsNotRepeated() {
        FakeKeycloak.answer = request -> new Reply(200, "{}", 3_000);

        assertThatThrownBy(() -> keycloak.user(USER))
                .isInstanceOfSatisfying(KeycloakUnavailableException.class,
                        e -> assertThat(e.certainlyNotApplied()).isFalse())
                .hasMessageContaining("did not answer in time");
        assertThat(adminRequests()).containsExactly("GET /users/" + USER);
    }

    @Test
    void aFailingKeycloakOpensTheBreakerThatLetsATrialThroughLater() {
        FakeKeycloak.answer = request -> new Reply(503, "", 0);
        // Four reads of three attempts each: twelve failures, more than the breaker's volume of ten.
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> keycloak.user(USER)).isInstanceOf(KeycloakUnavailableException.class);
        }
        assertThat(CircuitBreakerMaintenance.get().currentState(KeycloakAdmin.BREAKER))
                .isEqualTo(CircuitBreakerState.OPEN);
        int sent = adminRequests().size();

        // Open: answered at once, nothing sent, and so certainly not applied.
        assertThatThrownBy(() -> keycloak.createUser("open@partner.example", "A", "B", Map.of(), "Temp-1234-xyz"))
                .isInstanceOfSatisfying(KeycloakUnavailableException.class,
                        e -> assertThat(e.certainlyNotApplied()).isTrue());
        assertThat(adminRequests()).hasSize(sent);

        // Keycloak is back; after the breaker's delay (1 s here) one trial call goes through and closes it.
        FakeKeycloak.answer = request -> new Reply(200,
                "{\"id\":\"" + USER + "\",\"email\":\"back@partner.example\",\"enabled\":true}", 0);
        await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> keycloak.user(USER).email().equals("back@partner.example"));
        assertThat(CircuitBreakerMaintenance.get().currentState(KeycloakAdmin.BREAKER))
                .isEqualTo(CircuitBreakerState.CLOSED);
    }

    /** The admin API requests the server received, without the realm prefix and without token requests. */
    private static List<String> adminRequests() {
        return FakeKeycloak.REQUESTS.stream()
                .filter(r -> !r.endsWith("/protocol/openid-connect/token"))
                .map(r -> r.replaceFirst("/admin/realms/[^/]+", ""))
                .toList();
    }
}
