package com.acme.incentives.enrollment.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code enrollment.invitation.*}: how long invitations last and how their expiry and reminders run (application.properties). */
@ConfigMapping(prefix = "enrollment.invitation")
public interface InvitationSettings {

    /** An invitation is valid this long from when it is issued. */
    @WithDefault("P30D")
    Duration validity();

    /** How often the expiry job looks for invitations past their validity (its {@code @Scheduled} reads the key). */
    Duration expiryEvery();

    /** Invitations expired per transaction. */
    @WithDefault("100")
    int expiryBatch();

    /** How often the reminder job looks for reminders due (its {@code @Scheduled} reads the key). */
    Duration reminderEvery();

    /** Reminders sent per transaction. */
    @WithDefault("100")
    int reminderBatch();
}
