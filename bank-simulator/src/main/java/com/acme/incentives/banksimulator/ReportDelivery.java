package com.acme.incentives.banksimulator;

import com.acme.incentives.banksimulator.Bank.Report;
import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers reports as they become due: releases the scheduled ones, and pushes every new report to the callback URL
 * (when configured) with a bearer token of the bank-connector client. Pushes run one at a time, in the order the
 * reports were made, with a few retries; a report whose push failed is still kept for pulling, so nothing is lost.
 */
@ApplicationScoped
public class ReportDelivery {

    private static final Logger LOG = Logger.getLogger(ReportDelivery.class);

    @Inject
    Bank bank;

    @Inject
    SimulatorConfig config;

    @Inject
    OidcClient oidcClient;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService pusher = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "report-push");
        t.setDaemon(true);
        return t;
    });
    /** Fault injection: while false, reports are kept for pulling only (a callback that is down). */
    private final AtomicBoolean pushEnabled = new AtomicBoolean(true);
    private volatile Tokens tokens;

    @PreDestroy
    void stop() {
        pusher.shutdownNow();
    }

    @Scheduled(every = "${bank.simulator.tick:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void tick() {
        deliver(bank.releaseDue(Instant.now()));
    }

    void deliver(List<Report> reports) {
        if (config.callbackUrl().isEmpty() || reports.isEmpty()) {
            return;
        }
        if (!pushEnabled.get()) {
            reports.forEach(r -> LOG.infof("pain.002 %s not pushed (push paused); kept for pulling", r.messageId()));
            return;
        }
        for (Report report : reports) {
            pusher.submit(() -> push(report));
        }
    }

    public boolean pushEnabled() {
        return pushEnabled.get();
    }

    public void pushEnabled(boolean enabled) {
        pushEnabled.set(enabled);
        LOG.infof("Push of status reports %s", enabled ? "resumed" : "paused (reports are kept for pulling only)");
    }

    private void push(Report report) {
        String url = config.callbackUrl().orElseThrow();
        Duration pause = config.pushBackoff();
        for (int attempt = 1; attempt <= config.pushAttempts(); attempt++) {
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/xml").header("Accept", "application/json")
                        .header("Authorization", "Bearer " + accessToken())
                        .POST(HttpRequest.BodyPublishers.ofString(report.document())).build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) {
                    LOG.infof("pain.002 %s pushed: HTTP %d", report.messageId(), status);
                    return;
                }
                if (status == 401) {
                    tokens = null; // expired or revoked: the next attempt gets a new one
                }
                if (status / 100 == 4 && status != 401 && status != 408 && status != 429) {
                    // Refused for what it says (e.g. 422 unknown payment): sending it again would be refused again.
                    LOG.errorf("pain.002 %s refused by the callback: HTTP %d %s", report.messageId(), status,
                            abbreviated(response.body()));
                    return;
                }
                LOG.warnf("pain.002 %s push attempt %d: HTTP %d", report.messageId(), attempt, status);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("pain.002 %s push attempt %d failed: %s", report.messageId(), attempt, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (attempt < config.pushAttempts()) {
                try {
                    Thread.sleep(pause.toMillis()); // back-off between delivery attempts
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause = pause.multipliedBy(2);
            }
        }
        LOG.errorf("pain.002 %s not pushed after %d attempts; it stays available for pulling", report.messageId(),
                config.pushAttempts());
    }

    private String accessToken() {
        Tokens current = tokens;
        if (current == null || current.isAccessTokenWithinRefreshInterval() || current.isAccessTokenExpired()) {
            current = oidcClient.getTokens().await().atMost(Duration.ofSeconds(15));
            tokens = current;
        }
        return current.getAccessToken();
    }

    private static String abbreviated(String body) {
        return body == null ? "" : body.length() > 500 ? body.substring(0, 500) + "…" : body;
    }
}
