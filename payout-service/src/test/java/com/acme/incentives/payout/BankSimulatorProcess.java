package com.acme.incentives.payout;

import com.acme.incentives.platform.testing.TestInstance;
import com.acme.incentives.platform.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Starts the real bank simulator (the bank-simulator module's built jar) as a process of its own for the payout
 * tests, on a free port, and points payout-service at it ({@code payout.bank.url}). The simulator pushes its reports
 * to this test instance's API with real bank-connector tokens from Keycloak, so this also fixes the port the service
 * listens on during the tests ({@code quarkus.http.test-port}). Its log: target/bank-simulator.log. Tests find it
 * through {@code payout.bank.url} (config, not a static field: test resources and tests do not share classes).
 */
public class BankSimulatorProcess implements QuarkusTestResourceLifecycleManager {

    /** Settlement and return delays of the simulator in these tests. */
    public static final Duration SETTLE_AFTER = Duration.ofSeconds(1);
    public static final Duration RETURN_AFTER = Duration.ofSeconds(1);

    private Process process;

    @Override
    public Map<String, String> start() {
        Path jar = Path.of(System.getProperty("bank.simulator.jar",
                "../bank-simulator/target/quarkus-app/quarkus-run.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No bank simulator at " + jar + ": build it first (./mvnw -pl"
                    + " payout-service -am verify builds it before these tests, or ./mvnw -pl bank-simulator package)");
        }
        int simulatorPort = freePort();
        int servicePort = freePort();
        Path log = Path.of("target/bank-simulator.log").toAbsolutePath();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + simulatorPort,
                "-Dbank.simulator.callback-url=http://localhost:" + servicePort + "/api/v1/bank/status-reports",
                "-Dbank.simulator.settle-after=" + SETTLE_AFTER,
                "-Dbank.simulator.return-after=" + RETURN_AFTER,
                "-Dbank.simulator.push-backoff=PT0.5S",
                "-Dkeycloak.url=" + TestTokens.KEYCLOAK_URL,
                // The test instance's realm, where its bank-connector client is.
                "-Dincentives.instance=" + TestInstance.name(),
                "-jar", jar.toString());
        try {
            Files.createDirectories(log.getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the bank simulator", e);
        }
        String base = "http://localhost:" + simulatorPort;
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("The bank simulator stopped at start-up; see " + log);
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            }
        });
        return Map.of("payout.bank.url", base, "quarkus.http.test-port", String.valueOf(servicePort));
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
