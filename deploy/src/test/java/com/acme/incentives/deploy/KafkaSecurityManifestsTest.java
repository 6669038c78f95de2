package com.acme.incentives.deploy;

import static com.acme.incentives.deploy.Kustomize.id;
import static com.acme.incentives.deploy.Kustomize.name;
import static com.acme.incentives.deploy.Kustomize.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The services' ACLs (kafka/users.yaml, KafkaAccessManifestsTest) are in force: the brokers take clients only on a
 * TLS listener that requires a SCRAM-SHA-512 login, authorization is on, the User Operator runs (it makes each
 * KafkaUser's credentials and ACLs), every KafkaUser has a SCRAM-SHA-512 login, and each service connects to that
 * listener over SASL_SSL with its own user's login, trusting the cluster CA. README.md, "Kafka security".
 */
class KafkaSecurityManifestsTest {

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "production" })
    void theBrokersTakeOnlyAuthenticatedTlsClientsAndEnforceAcls(String overlay) {
        JsonNode kafka = kafkaOf(Kustomize.render(overlay));
        JsonNode spec = kafka.path("spec");
        assertThat(spec.path("kafka").path("authorization").path("type").asText())
                .as("%s: spec.kafka.authorization.type (without it the ACLs are not checked)", id(kafka))
                .isEqualTo("simple");
        assertThat(spec.path("entityOperator").has("userOperator"))
                .as("%s: the User Operator (it makes the KafkaUsers' credentials and ACLs)", id(kafka)).isTrue();
        JsonNode listeners = spec.path("kafka").path("listeners");
        assertThat(listeners).as("%s listeners", id(kafka)).isNotEmpty();
        // Every listener, not only the services' one: a plain or anonymous listener would let a client in without
        // a login (and, with authorization on, as the principal ANONYMOUS, which a wildcard ACL could still serve).
        for (JsonNode listener : listeners) {
            String which = id(kafka) + " listener " + listener.path("name").asText();
            assertThat(listener.path("tls").asBoolean(false)).as("%s is TLS", which).isTrue();
            assertThat(listener.path("authentication").path("type").asText()).as("%s authentication", which)
                    .isEqualTo("scram-sha-512");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "production" })
    void everyKafkaUserLogsInWithScram(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        String cluster = name(kafkaOf(objects));
        List<ObjectNode> users = ofKind(objects, "KafkaUser");
        assertThat(users).as("KafkaUsers of %s", overlay).isNotEmpty();
        for (JsonNode user : users) {
            assertThat(user.path("spec").path("authentication").path("type").asText())
                    .as("%s authentication (without one the User Operator makes no credentials)", id(user))
                    .isEqualTo("scram-sha-512");
            assertThat(user.path("metadata").path("labels").path("strimzi.io/cluster").asText()).as(id(user))
                    .isEqualTo(cluster);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "production" })
    void eachServiceConnectsOverSaslSslAsItsOwnUser(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        JsonNode kafka = kafkaOf(objects);
        String cluster = name(kafka);
        List<String> users = ofKind(objects, "KafkaUser").stream().map(Kustomize::name).toList();
        for (JsonNode deployment : ofKind(objects, "Deployment")) {
            String service = name(deployment);
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            JsonNode container = pod.path("containers").get(0);
            Map<String, JsonNode> env = environmentOf(objects, container);
            if (!KafkaAccessManifestsTest.SERVICES.contains(service)) {
                assertThat(env.keySet()).as("%s uses no Kafka: no Kafka settings", id(deployment))
                        .noneMatch(n -> n.startsWith("KAFKA_"));
                continue;
            }
            String where = id(deployment);
            // The listener it connects to: the cluster's bootstrap Service, on a port of a TLS + SCRAM listener.
            String bootstrap = literal(env, "KAFKA_BOOTSTRAP_SERVERS", where);
            for (String server : bootstrap.split(",")) {
                String[] hostPort = server.strip().split(":");
                assertThat(hostPort[0]).as("%s KAFKA_BOOTSTRAP_SERVERS host", where)
                        .isEqualTo(cluster + "-kafka-bootstrap");
                JsonNode listener = listenerOnPort(kafka, Integer.parseInt(hostPort[1]));
                assertThat(listener).as("%s: a listener of %s on port %s", where, cluster, hostPort[1]).isNotNull();
                assertThat(listener.path("tls").asBoolean(false)).as("%s: its listener is TLS", where).isTrue();
                assertThat(listener.path("authentication").path("type").asText())
                        .as("%s: its listener's authentication", where).isEqualTo("scram-sha-512");
            }
            assertThat(literal(env, "KAFKA_SECURITY_PROTOCOL", where)).as("%s security protocol", where)
                    .isEqualTo("SASL_SSL");
            assertThat(literal(env, "KAFKA_SASL_MECHANISM", where)).as("%s SASL mechanism", where)
                    .isEqualTo("SCRAM-SHA-512");
            // Its own KafkaUser's login, from the Secret the User Operator makes (named as the user).
            JsonNode jaas = env.get("KAFKA_SASL_JAAS_CONFIG");
            assertThat(jaas).as("%s sets KAFKA_SASL_JAAS_CONFIG", where).isNotNull();
            JsonNode ref = jaas.path("valueFrom").path("secretKeyRef");
            assertThat(ref.path("name").asText()).as("%s KAFKA_SASL_JAAS_CONFIG: the Secret of its KafkaUser", where)
                    .isEqualTo(service).isIn(users);
            assertThat(ref.path("key").asText()).as("%s KAFKA_SASL_JAAS_CONFIG key", where)
                    .isEqualTo("sasl.jaas.config");
            // The cluster CA's certificate, a PEM file mounted from Strimzi's Secret.
            assertThat(literal(env, "KAFKA_SSL_TRUSTSTORE_TYPE", where)).as("%s trust store type", where)
                    .isEqualTo("PEM");
            String location = literal(env, "KAFKA_SSL_TRUSTSTORE_LOCATION", where);
            assertThat(caFileOf(pod, container, cluster + "-cluster-ca-cert"))
                    .as("%s KAFKA_SSL_TRUSTSTORE_LOCATION: ca.crt of Secret %s-cluster-ca-cert, mounted", where,
                            cluster).contains(location);
        }
    }

    /** The one Kafka of the overlay. */
    private static JsonNode kafkaOf(List<ObjectNode> objects) {
        List<ObjectNode> kafkas = ofKind(objects, "Kafka");
        assertThat(kafkas).as("Kafka objects").hasSize(1);
        return kafkas.get(0);
    }

    private static JsonNode listenerOnPort(JsonNode kafka, int port) {
        for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
            if (listener.path("port").asInt() == port) {
                return listener;
            }
        }
        return null;
    }

    /**
     * The container's environment as Kubernetes builds it: each envFrom ConfigMap's keys in order, then env (which
     * wins). Values are {"value": ...} or the env entry itself (valueFrom).
     */
    private static Map<String, JsonNode> environmentOf(List<ObjectNode> objects, JsonNode container) {
        Map<String, JsonNode> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String cm = from.path("configMapRef").path("name").asText();
            JsonNode map = ofKind(objects, "ConfigMap").stream().filter(c -> name(c).equals(cm)).findFirst()
                    .orElseThrow(() -> new AssertionError("no ConfigMap " + cm));
            map.path("data").fields().forEachRemaining(
                    e -> env.put(e.getKey(), Kustomize.json().createObjectNode().put("value", e.getValue().asText())));
        }
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    private static String literal(Map<String, JsonNode> env, String name, String where) {
        JsonNode entry = env.get(name);
        assertThat(entry).as("%s sets %s", where, name).isNotNull();
        assertThat(entry.has("value")).as("%s %s is a literal value", where, name).isTrue();
        return entry.path("value").asText();
    }

    /** The paths where the container sees key ca.crt of the Secret (a volume of it, mounted read-only). */
    private static List<String> caFileOf(JsonNode pod, JsonNode container, String secret) {
        List<String> files = new ArrayList<>();
        for (JsonNode volume : pod.path("volumes")) {
            JsonNode source = volume.path("secret");
            if (!source.path("secretName").asText().equals(secret)) {
                continue;
            }
            String file = "ca.crt";
            for (JsonNode item : source.path("items")) {
                if (item.path("key").asText().equals("ca.crt")) {
                    file = item.path("path").asText();
                }
            }
            if (source.has("items") && source.path("items").findValuesAsText("key").stream()
                    .noneMatch("ca.crt"::equals)) {
                continue; // items that leave ca.crt out
            }
            for (JsonNode mount : container.path("volumeMounts")) {
                if (mount.path("name").asText().equals(volume.path("name").asText())
                        && mount.path("readOnly").asBoolean(false)) {
                    files.add(mount.path("mountPath").asText().replaceAll("/$", "") + "/" + file);
                }
            }
        }
        return files;
    }
}
