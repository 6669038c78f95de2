package com.acme.incentives.enrollment.webhooks;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;

/** {@code enrollment.webhooks.*}: how webhooks are delivered (README "Webhooks"; application.properties). */
@ConfigMapping(prefix = "enrollment.webhooks")
public interface WebhookSettings {

    /** How often the worker looks for due messages (its {@code @Scheduled} reads the same key). */
    Duration every();

    /** The waits after each failed attempt; after the last, the message is FAILED. */
    List<Duration> retrySchedule();

    /** Deliveries at once, on this replica. */
    @WithDefault("8")
    int concurrency();

    /**
     * At most this many deliveries to one endpoint at once (on this replica): an endpoint that is slow for many
     * resources at once cannot take every sender from the others.
     */
    @WithDefault("4")
    int perEndpoint();

    /** How long a claimed message is this replica's: one that dies mid-send leaves it to the others after this. */
    @WithDefault("PT1M")
    Duration lease();

    /** An endpoint whose every delivery failed this long is disabled (and its organization mailed). */
    @WithDefault("P5D")
    Duration disableAfter();

    @WithDefault("PT2S")
    Duration connectTimeout();

    @WithDefault("PT10S")
    Duration requestTimeout();

    /** Lets http(s)://localhost and 127.0.0.1 through, for a receiver a test runs (only %dev and %test). */
    @WithDefault("false")
    boolean allowInsecureLocalhost();
}
