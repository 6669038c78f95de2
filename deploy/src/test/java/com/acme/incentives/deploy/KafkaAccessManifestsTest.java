package com.acme.incentives.deploy;

import static com.acme.incentives.deploy.Kustomize.name;
import static com.acme.incentives.deploy.Kustomize.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The services' Kafka identities (kafka/users.yaml): each service's KafkaUser allows exactly what its
 * application.properties says it does, derived here from those files, so a new channel, topic or dead-letter queue
 * without its ACL (or an ACL left after its channel went) fails; and no user may write a topic another service owns.
 */
class KafkaAccessManifestsTest {

    /** The services that use Kafka (the gateway does not). */
    static final List<String> SERVICES =
            List.of("identity-service", "eligibility-service", "enrollment-service", "payout-service");
    private static final Path PLATFORM_DEFAULTS =
            Path.of("platform/src/main/resources/META-INF/microprofile-config.properties");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");
    private static final Pattern CHANNEL_TOPIC =
            Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.(topic|dead-letter-queue\\.topic)");
    private static final Pattern GROUP = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.group\\.id");

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "production" })
    void eachServiceUserAllowsExactlyWhatItsConfigurationUses(String overlay) throws IOException {
        List<ObjectNode> objects = Kustomize.render(overlay);
        String instance = instanceOf(objects);
        Map<String, JsonNode> users = new HashMap<>();
        ofKind(objects, "KafkaUser").forEach(u -> users.put(name(u), u));
        assertThat(users.keySet()).as("one KafkaUser per service that uses Kafka").containsExactlyInAnyOrderElementsOf(
                SERVICES);
        String cluster = name(ofKind(objects, "Kafka").get(0));
        for (String service : SERVICES) {
            JsonNode user = users.get(service);
            assertThat(user.path("metadata").path("labels").path("strimzi.io/cluster").asText()).as(service)
                    .isEqualTo(cluster);
            assertThat(user.path("spec").path("authorization").path("type").asText()).as(service).isEqualTo("simple");
            assertThat(aclsOf(user)).as(service + "'s ACLs against its application.properties")
                    .isEqualTo(expectedAcls(service, instance));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "production" })
    void noUserWritesATopicItDoesNotOwn(String overlay) throws IOException {
        List<ObjectNode> objects = Kustomize.render(overlay);
        String instance = instanceOf(objects);
        Map<String, Set<String>> writers = new TreeMap<>();
        for (JsonNode user : ofKind(objects, "KafkaUser")) {
            for (String acl : aclsOf(user)) {
                if (acl.startsWith("topic ") && (acl.contains("Write") || acl.contains("All"))) {
                    // Only literal topic names may be written: a prefix or "*" could reach a topic added later.
                    assertThat(acl).as(name(user)).startsWith("topic literal ").doesNotContain(" * ");
                    writers.computeIfAbsent(acl.split(" ")[2], t -> new TreeSet<>()).add(name(user));
                }
            }
        }
        for (String service : SERVICES) {
            String events = resolved(propertiesOf(service), "platform.outbox.topic", instance);
            // e.g. only payout-service writes main.payout.events.
            assertThat(writers.get(events)).as("writers of " + events).containsExactly(service);
        }
        writers.forEach((topic, who) -> {
            assertThat(who).as("writers of " + topic).hasSize(1);
            // A dead-letter topic <source>.<service>.dlq belongs to the service that consumes <source>.
            if (topic.endsWith(".dlq")) {
                String[] parts = topic.split("\\.");
                assertThat(who.iterator().next()).as(topic).isEqualTo(parts[parts.length - 2] + "-service");
            }
        });
    }

    /** Each ACL as "type patternType name operations(sorted)". */
    static Set<String> aclsOf(JsonNode user) {
        Set<String> acls = new TreeSet<>();
        for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
            assertThat(acl.path("type").asText("allow")).isEqualTo("allow");
            assertThat(acl.path("host").asText("*")).isEqualTo("*");
            JsonNode resource = acl.path("resource");
            Set<String> operations = new TreeSet<>();
            acl.path("operations").forEach(o -> operations.add(o.asText()));
            acls.add(acl(resource.path("type").asText(), resource.path("patternType").asText("literal"),
                    resource.path("name").asText(), operations.toArray(String[]::new)));
        }
        return acls;
    }

    static String acl(String type, String patternType, String name, String... operations) {
        return type + " " + patternType + " " + name + " " + new TreeSet<>(List.of(operations));
    }

    /**
     * From the service's configuration: Write its outbox topic, its outgoing channels' and dead-letter topics; Read
     * its incoming channels' topics and its consumer groups; Write the outbox relay's transactional ids
     * ("&lt;quarkus.application.name&gt;-outbox-&lt;uuid&gt;", OutboxRelay).
     */
    static Set<String> expectedAcls(String service, String instance) throws IOException {
        Properties p = propertiesOf(service);
        Set<String> expected = new TreeSet<>();
        String application = resolved(p, "quarkus.application.name", instance);
        expected.add(acl("topic", "literal", resolved(p, "platform.outbox.topic", instance), "Write", "Describe"));
        expected.add(acl("transactionalId", "prefix", application + "-outbox-", "Write", "Describe"));
        String groupPrefix = instance + "." + application + ".";
        boolean consumes = false;
        for (String key : p.stringPropertyNames()) {
            Matcher topic = CHANNEL_TOPIC.matcher(key);
            if (topic.matches()) {
                boolean reads = topic.group(1).equals("incoming") && topic.group(3).equals("topic");
                consumes |= reads;
                expected.add(acl("topic", "literal", resolved(p, key, instance),
                        reads ? new String[] { "Read", "Describe" } : new String[] { "Write", "Describe" }));
            }
            Matcher group = GROUP.matcher(key);
            if (group.matches()) {
                // Every group must fall under the one prefix the user may read.
                assertThat(resolved(p, key, instance)).as(service + " " + key).startsWith(groupPrefix);
            }
        }
        if (consumes) {
            expected.add(acl("group", "prefix", groupPrefix, "Read"));
        }
        return expected;
    }

    static Properties propertiesOf(String service) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(Repo.ROOT.resolve(PLATFORM_DEFAULTS))) {
            p.load(reader);
        }
        try (Reader reader = Files.newBufferedReader(
                Repo.ROOT.resolve(service).resolve("src/main/resources/application.properties"))) {
            p.load(reader);
        }
        return p;
    }

    /** The value of key with ${...} expressions expanded, incentives.instance being the cluster's instance. */
    static String resolved(Properties p, String key, String instance) {
        String value = key.equals("incentives.instance") ? instance : p.getProperty(key);
        assertThat(value).as(key).isNotNull();
        Matcher m = EXPRESSION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String inner = p.containsKey(m.group(1)) || m.group(1).equals("incentives.instance")
                    ? resolved(p, m.group(1), instance) : m.group(2);
            assertThat(inner).as("${" + m.group(1) + "} in " + key).isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(inner));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** INCENTIVES_INSTANCE of the services' ConfigMaps (all the same: DeploymentManifestsTest). */
    static String instanceOf(List<ObjectNode> objects) {
        Set<String> instances = new TreeSet<>();
        for (JsonNode map : ofKind(objects, "ConfigMap")) {
            JsonNode value = map.path("data").path("INCENTIVES_INSTANCE");
            if (!value.isMissingNode()) {
                instances.add(value.asText());
            }
        }
        assertThat(instances).hasSize(1);
        return instances.iterator().next();
    }
}
