package com.acme.incentives.platform.testing;

/**
 * The instance of the platform a test talks to (docs/conventions.md, "Instances"): its name decides the Keycloak realm,
 * the Kafka topics and the databases, so a test sees only its own instance's events and users. The build passes it to
 * every test JVM as the system property {@code incentives.instance} (root pom: {@code test}, which a
 * {@code @QuarkusTest} application also reads; e2e-tests: {@code e2e}); {@code -Dincentives.instance=<name>} runs the
 * module tests as another instance.
 */
public final class TestInstance {

    private static final String NAME = resolve();

    private TestInstance() {
    }

    public static String name() {
        return NAME;
    }

    /** The instance's Kafka topic of a logical name, e.g. {@code identity.events} → {@code test.identity.events}. */
    public static String topic(String logicalName) {
        return NAME + "." + logicalName;
    }

    public static String realm() {
        return "incentives-" + NAME;
    }

    private static String resolve() {
        String property = System.getProperty("incentives.instance", "").strip();
        return property.isEmpty() ? "test" : property;
    }
}
