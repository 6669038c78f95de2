package com.acme.incentives.identity.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code identity.activation.*}: how users' first sign-ins are looked for in Keycloak (application.properties). */
@ConfigMapping(prefix = "identity.activation")
public interface ActivationSettings {

    /** How often (its {@code @Scheduled} reads the key). */
    @WithDefault("30s")
    Duration pollEvery();

    /** The newest pending users asked about at every poll: a user who just signed in is seen at once. */
    @WithDefault("20")
    int newestPerRun();

    /** Older pending users asked about per poll, in turns, so that every one is asked now and then. */
    @WithDefault("30")
    int rotatingPerRun();
}
