package com.acme.incentives.platform.inbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code platform.inbox.*}: how often a consumed event that fails is tried before it is dead-lettered. */
@ConfigMapping(prefix = "platform.inbox")
public interface InboxSettings {

    /** Attempts in all, the first included; a {@link PoisonEventException} is dead-lettered at once instead. */
    @WithDefault("4")
    int maxAttempts();

    /** The wait before the second attempt; doubled before each further one. */
    @WithDefault("PT0.2S")
    Duration firstBackoff();
}
