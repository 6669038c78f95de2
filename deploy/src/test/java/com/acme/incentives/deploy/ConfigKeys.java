package com.acme.incentives.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The configuration a service reads: the keys of its application.properties and (for the four services) of the
 * platform's defaults, and the names used in {@code ${NAME}} / {@code ${NAME:default}} expressions. An environment
 * variable is read if it is the environment form of one of those keys (MicroProfile Config: every character that is
 * not a letter or digit becomes '_', then upper case: quarkus.datasource.jdbc.url -> QUARKUS_DATASOURCE_JDBC_URL) or
 * is itself named in an expression. The four services also read every {@code kafka.<client setting>}: Quarkus hands
 * each {@code kafka.*} property (KAFKA_SECURITY_PROTOCOL -> security.protocol) to their Kafka clients, the channels'
 * and the outbox relay's ("default-kafka-broker"), so those are the Kafka clients' own setting names.
 */
final class ConfigKeys {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)");
    private static final Path PLATFORM_DEFAULTS =
            Path.of("platform/src/main/resources/META-INF/microprofile-config.properties");

    private final Set<String> envForms = new HashSet<>();
    private final Set<String> keys = new HashSet<>();

    /** deploymentName: identity-service ... payout-service, gateway (which does not use the platform module). */
    static ConfigKeys of(String deploymentName) throws IOException {
        ConfigKeys config = new ConfigKeys();
        config.read(Repo.ROOT.resolve(deploymentName).resolve("src/main/resources/application.properties"));
        if (!deploymentName.equals("gateway")) {
            config.read(Repo.ROOT.resolve(PLATFORM_DEFAULTS));
            for (Set<String> names : List.of(ProducerConfig.configNames(), ConsumerConfig.configNames())) {
                names.forEach(n -> config.envForms.add(envFormOf("kafka." + n)));
            }
        } else {
            // The gateway does not use the platform module, but it has the same Quarkus HTTP layer: the platform's
            // quarkus.http.* keys (proxy forwarding, ...) are keys it reads too. Nothing else of the platform.
            ConfigKeys platform = new ConfigKeys();
            platform.read(Repo.ROOT.resolve(PLATFORM_DEFAULTS));
            platform.keys.stream().filter(k -> k.startsWith("quarkus.http."))
                    .forEach(k -> config.envForms.add(envFormOf(k)));
        }
        return config;
    }

    private void read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        for (String name : properties.stringPropertyNames()) {
            // %test.quarkus.x and quarkus.x are the same key in another profile.
            String key = name.startsWith("%") ? name.substring(name.indexOf('.') + 1) : name;
            keys.add(key);
            envForms.add(envFormOf(key));
            Matcher m = EXPRESSION.matcher(properties.getProperty(name));
            while (m.find()) {
                envForms.add(m.group(1));
                envForms.add(envFormOf(m.group(1)));
            }
        }
    }

    static String envFormOf(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    boolean reads(String envName) {
        return envForms.contains(envName);
    }

    Set<String> keys() {
        return keys;
    }
}
