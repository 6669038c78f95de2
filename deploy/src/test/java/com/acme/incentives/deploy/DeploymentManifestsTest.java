package com.acme.incentives.deploy;

import static com.acme.incentives.deploy.Kustomize.id;
import static com.acme.incentives.deploy.Kustomize.name;
import static com.acme.incentives.deploy.Kustomize.ofKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/k8s, checked offline: each overlay renders with kubectl kustomize, each object is valid for its kind
 * ({@link Schemas}), and the rules of issue 8 hold for what an overlay would apply.
 */
class DeploymentManifestsTest {

    /** Our applications: Quarkus, built into images by this module (ContainerImages), scaled by their HPAs. */
    static final Set<String> DEPLOYMENTS =
            Set.of("identity-service", "eligibility-service", "enrollment-service", "payout-service", "gateway");
    /** Third-party servers we run ourselves (not through an operator): the gateway's Redis. */
    static final Set<String> INFRASTRUCTURE = Set.of("redis");
    static final Pattern SECRET_LIKE = Pattern.compile("(.*_)?(SECRET|PASSWORD|KEY|TOKEN|CREDENTIALS?|JAAS)(_.*)?");

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "production" })
    void rendersWithKubectlKustomize(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        assertThat(objects).extracting(o -> o.path("kind").asText())
                .contains("Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                        "NetworkPolicy", "ConfigMap", "Kafka", "KafkaNodePool", "KafkaTopic", "Cluster", "Keycloak",
                        "KeycloakRealmImport");
        Set<String> all = new HashSet<>(DEPLOYMENTS);
        all.addAll(INFRASTRUCTURE);
        assertThat(ofKind(objects, "Deployment")).extracting(Kustomize::name).containsExactlyInAnyOrderElementsOf(all);
        Set<String> ids = new HashSet<>();
        objects.forEach(o -> assertThat(ids.add(id(o))).as("%s appears twice", id(o)).isTrue());
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void everyObjectIsValidForItsKind(String overlay) {
        List<String> problems = new ArrayList<>();
        for (ObjectNode object : Kustomize.render(overlay)) {
            try {
                Schemas.check(object);
            } catch (Exception | AssertionError e) {
                problems.add(id(object) + ": " + e.getMessage());
            }
        }
        assertThat(problems).as("objects of %s that do not fit their schema", overlay).isEmpty();
    }

    @Test
    void theStrictSchemaCheckRejectsAMisplacedField() throws Exception {
        // The typed models would keep an unknown field silently; make sure the check does not.
        ObjectNode deployment = ofKind(Kustomize.render("production"), "Deployment").get(0).deepCopy();
        ((ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0))
                .put("readinessProb", "typo");
        try {
            Schemas.check(deployment);
            fail("a container with the unknown field readinessProb passed the schema check");
        } catch (Exception expected) {
            assertThat(expected).hasMessageContaining("readinessProb");
        }
        ObjectNode topic = ofKind(Kustomize.render("production"), "KafkaTopic").get(0).deepCopy();
        ((ObjectNode) topic.path("spec")).put("partition", 3);
        try {
            Schemas.check(topic);
            fail("a KafkaTopic with the unknown field spec.partition passed the schema check");
        } catch (Exception expected) {
            assertThat(expected).hasMessageContaining("partition");
        }
        // A field Strimzi's v1 API dropped (replicas moved to KafkaNodePool) is refused in a kafka.strimzi.io/v1 object.
        ObjectNode kafka = ofKind(Kustomize.render("production"), "Kafka").get(0).deepCopy();
        ((ObjectNode) kafka.path("spec").path("kafka")).put("replicas", 3);
        assertRejected(kafka, "replicas");
        ObjectNode realmImport = ofKind(Kustomize.render("production"), "KeycloakRealmImport").get(0).deepCopy();
        ((ObjectNode) realmImport.path("spec").path("realm").path("clients").get(0)).put("redirectUri", "x");
        assertRejected(realmImport, "redirectUri");
        ObjectNode cluster = ofKind(Kustomize.render("production"), "Cluster").get(0).deepCopy();
        ((ObjectNode) cluster.path("spec")).put("instance", 2);
        assertRejected(cluster, "instance");
        ObjectNode keycloak = ofKind(Kustomize.render("production"), "Keycloak").get(0).deepCopy();
        ((ObjectNode) keycloak.path("spec").path("hostname")).put("hostName", "x");
        assertRejected(keycloak, "hostName");
    }

    private static void assertRejected(ObjectNode object, String field) {
        Throwable thrown = null;
        try {
            Schemas.check(object);
        } catch (Exception | AssertionError e) {
            thrown = e;
        }
        assertThat(thrown).as("%s with the unknown field %s passed the schema check", id(object), field).isNotNull();
        assertThat(thrown.getMessage()).contains(field);
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void everyContainerHasProbesLimitsAndALockedDownSecurityContext(String overlay) {
        for (JsonNode deployment : ofKind(Kustomize.render(overlay), "Deployment")) {
            String d = id(deployment);
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as("%s pod runAsNonRoot", d)
                    .isTrue();
            assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText())
                    .as("%s pod seccompProfile", d).isEqualTo("RuntimeDefault");
            assertThat(pod.path("containers")).as("%s containers", d).isNotEmpty();
            boolean ours = DEPLOYMENTS.contains(name(deployment));
            for (JsonNode c : pod.path("containers")) {
                String where = d + " container " + c.path("name").asText();
                if (ours) {
                    assertThat(c.path("startupProbe").path("httpGet").path("path").asText())
                            .as("%s startupProbe", where).isEqualTo("/q/health/started");
                    assertThat(c.path("livenessProbe").path("httpGet").path("path").asText())
                            .as("%s livenessProbe", where).isEqualTo("/q/health/live");
                    assertThat(c.path("readinessProbe").path("httpGet").path("path").asText())
                            .as("%s readinessProbe", where).isEqualTo("/q/health/ready");
                } else {
                    // A server of its own kind: probes of some kind, whatever it answers to.
                    for (String probe : new String[] { "livenessProbe", "readinessProbe" }) {
                        assertThat(c.path(probe).has("httpGet") || c.path(probe).has("tcpSocket")
                                || c.path(probe).has("exec")).as("%s %s", where, probe).isTrue();
                    }
                }
                for (String part : new String[] { "requests", "limits" }) {
                    for (String resource : new String[] { "cpu", "memory" }) {
                        assertThat(c.path("resources").path(part).path(resource).isMissingNode())
                                .as("%s resources.%s.%s", where, part, resource).isFalse();
                    }
                }
                for (String resource : new String[] { "cpu", "memory" }) {
                    // The API server refuses a container that requests more than its limit (an overlay's patch can).
                    assertThat(quantity(c.path("resources").path("requests").path(resource).asText()))
                            .as("%s requests.%s within its limit", where, resource)
                            .isLessThanOrEqualTo(quantity(c.path("resources").path("limits").path(resource)
                                    .asText()));
                }
                JsonNode security = c.path("securityContext");
                assertThat(security.path("runAsNonRoot").asBoolean()).as("%s runAsNonRoot", where).isTrue();
                assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as("%s readOnlyRootFilesystem", where)
                        .isTrue();
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true))
                        .as("%s allowPrivilegeEscalation", where).isFalse();
                assertThat(security.path("capabilities").path("drop").toString()).as("%s capabilities.drop", where)
                        .isEqualTo("[\"ALL\"]");
                if (ours) {
                    assertThat(c.path("volumeMounts").findValuesAsText("mountPath")).as("%s writable /tmp", where)
                            .contains("/tmp");
                }
            }
            // Whatever a container may write to (the Java services' /tmp, Redis's /data) is an emptyDir: nothing
            // written outlives the pod, and nothing is writable in the image. The one other kind of mount: a Secret,
            // read-only (the services' Kafka cluster CA).
            for (JsonNode c : pod.path("containers")) {
                for (JsonNode m : c.path("volumeMounts")) {
                    String volume = m.path("name").asText();
                    boolean readOnlySecret = m.path("readOnly").asBoolean(false) && pod.path("volumes").findParents(
                            "secret").stream().anyMatch(v -> v.path("name").asText().equals(volume));
                    if (readOnlySecret) {
                        continue;
                    }
                    assertThat(pod.path("volumes")).as("%s %s is an emptyDir", d, m.path("mountPath").asText())
                            .anySatisfy(v -> {
                                assertThat(v.path("name").asText()).isEqualTo(volume);
                                assertThat(v.has("emptyDir")).isTrue();
                            });
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "base", "dev", "production" })
    void noSecretValueInAnyManifest(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        // Secrets are made in the cluster (create-secrets.sh, the secret store's operator, CloudNativePG).
        assertThat(ofKind(objects, "Secret")).as("Secret objects in %s", overlay).isEmpty();
        for (JsonNode deployment : ofKind(objects, "Deployment")) {
            for (JsonNode c : deployment.path("spec").path("template").path("spec").path("containers")) {
                for (JsonNode env : c.path("env")) {
                    String envName = env.path("name").asText();
                    if (SECRET_LIKE.matcher(envName).matches()) {
                        assertThat(env.has("value")).as("%s sets %s to a literal value", id(deployment), envName)
                                .isFalse();
                        assertThat(env.path("valueFrom").has("secretKeyRef"))
                                .as("%s takes %s from a Secret", id(deployment), envName).isTrue();
                    }
                }
            }
        }
        for (JsonNode configMap : ofKind(objects, "ConfigMap")) {
            configMap.path("data").fieldNames().forEachRemaining(key -> assertThat(SECRET_LIKE.matcher(key).matches())
                    .as("ConfigMap %s holds %s, which looks like a secret: use a Secret", name(configMap), key)
                    .isFalse());
        }
        for (JsonNode realmImport : ofKind(objects, "KeycloakRealmImport")) {
            for (JsonNode client : realmImport.path("spec").path("realm").path("clients")) {
                if (client.has("secret")) {
                    assertThat(client.get("secret").asText()).as("realm client %s secret", client.path("clientId"))
                            .startsWith("${");
                }
            }
            assertThat(realmImport.path("spec").path("realm").path("users").findValues("credentials"))
                    .as("users with credentials in the realm import").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void everySecretReferencedIsDocumentedOrMadeByAnOperator(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        // Secrets the operators make, with the keys they hold: CloudNativePG's "<cluster>-app"; Strimzi's Secret of
        // each KafkaUser (User Operator) and the cluster CA's certificate (cluster operator).
        Map<String, Set<String>> operatorMade = new HashMap<>();
        ofKind(objects, "Cluster").forEach(c -> operatorMade.put(name(c) + "-app", Set.of("username", "password")));
        ofKind(objects, "KafkaUser").forEach(u -> operatorMade.put(name(u), Set.of("password", "sasl.jaas.config")));
        ofKind(objects, "Kafka").forEach(k -> operatorMade.put(name(k) + "-cluster-ca-cert",
                Set.of("ca.crt", "ca.p12", "ca.password")));
        String readme = Files.readString(Repo.K8S.resolve("README.md"));
        String script = Files.readString(Repo.K8S.resolve("overlays/dev/create-secrets.sh"));
        Map<String, Set<String>> referenced = new LinkedHashMap<>();
        for (ObjectNode o : objects) {
            o.findParents("secretKeyRef").forEach(p -> referenced.computeIfAbsent(
                    p.path("secretKeyRef").path("name").asText(), n -> new HashSet<>())
                    .add(p.path("secretKeyRef").path("key").asText()));
            // CloudNativePG's object store credentials: {name, key} under spec.backup.barmanObjectStore.s3Credentials.
            o.findValues("s3Credentials").forEach(c -> c.forEach(ref -> {
                if (ref.has("name") && ref.has("key")) {
                    referenced.computeIfAbsent(ref.path("name").asText(), n -> new HashSet<>())
                            .add(ref.path("key").asText());
                }
            }));
            // CloudNativePG's managed roles: passwordSecret {name}, a basic-auth Secret (username, password).
            o.findValues("passwordSecret").stream().filter(v -> v.has("name") && !v.has("key"))
                    .forEach(v -> referenced.computeIfAbsent(v.path("name").asText(), n -> new HashSet<>())
                            .addAll(Set.of("username", "password")));
            o.findParents("secret").stream().filter(p -> p.path("secret").has("key"))
                    .forEach(p -> referenced.computeIfAbsent(p.path("secret").path("name").asText(),
                            n -> new HashSet<>()).add(p.path("secret").path("key").asText()));
            // Secret volumes: {secretName, items: [{key, path}]}.
            o.findValues("secret").stream().filter(v -> v.has("secretName")).forEach(v -> {
                Set<String> keys = referenced.computeIfAbsent(v.path("secretName").asText(), n -> new HashSet<>());
                v.path("items").forEach(item -> keys.add(item.path("key").asText()));
            });
        }
        referenced.forEach((secret, keys) -> {
            if (operatorMade.containsKey(secret)) {
                assertThat(keys).as("keys of %s (made by an operator)", secret).isSubsetOf(operatorMade.get(secret));
                return;
            }
            assertThat(readme).as("deploy/k8s/README.md lists Secret %s", secret).contains("`" + secret + "`");
            assertThat(script.contains("create " + secret + " ") || script.contains("create_login " + secret + " "))
                    .as("create-secrets.sh creates %s", secret).isTrue();
            keys.forEach(key -> {
                assertThat(readme).as("README.md lists key %s of Secret %s", key, secret).contains("`" + key + "`");
                assertThat(script).as("create-secrets.sh sets key %s of %s", key, secret).contains(key + "=");
            });
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void everyEnvironmentVariableIsAConfigKeyTheServiceReads(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        Map<String, JsonNode> configMaps = new LinkedHashMap<>();
        ofKind(objects, "ConfigMap").forEach(c -> configMaps.put(name(c), c));
        List<String> unread = new ArrayList<>();
        for (JsonNode deployment : ofKind(objects, "Deployment")) {
            if (!DEPLOYMENTS.contains(name(deployment))) {
                assertThat(deployment.findValues("envFrom")).as("%s reads no ConfigMap of ours", id(deployment))
                        .isEmpty();
                continue; // not a Quarkus application: its settings are its arguments
            }
            ConfigKeys config = ConfigKeys.of(name(deployment));
            for (JsonNode c : deployment.path("spec").path("template").path("spec").path("containers")) {
                List<String> names = new ArrayList<>();
                c.path("env").forEach(e -> names.add(e.path("name").asText()));
                for (JsonNode from : c.path("envFrom")) {
                    String cm = from.path("configMapRef").path("name").asText();
                    assertThat(configMaps).as("%s reads ConfigMap %s", id(deployment), cm).containsKey(cm);
                    configMaps.get(cm).path("data").fieldNames().forEachRemaining(names::add);
                }
                names.stream().filter(n -> !config.reads(n))
                        .forEach(n -> unread.add(id(deployment) + " sets " + n));
            }
        }
        assertThat(unread).as("environment variables no configuration key of the service maps to (a typo, or a "
                + "key that does not exist)").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void everyPodStopsGracefullyWithinItsGracePeriod(String overlay) throws Exception {
        // Our applications' graceful shutdown (in-flight requests finish), from their configuration.
        long services = shutdownTimeout(Repo.ROOT.resolve(
                "platform/src/main/resources/META-INF/microprofile-config.properties"));
        long gateway = shutdownTimeout(Repo.ROOT.resolve("gateway/src/main/resources/application.properties"));
        assertThat(services).isPositive();
        assertThat(gateway).isPositive();
        for (JsonNode deployment : ofKind(Kustomize.render(overlay), "Deployment")) {
            String n = name(deployment);
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            long grace = pod.path("terminationGracePeriodSeconds").asLong(30);
            for (JsonNode c : pod.path("containers")) {
                // Until the endpoint removal has reached the ingress controller and kube-proxy, new connections
                // still arrive: the container keeps serving them for the preStop sleep (the kubelet's own sleep
                // action: no sleep binary needed in the image).
                long preStop = c.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong(0);
                assertThat(preStop).as("%s %s preStop sleep", n, c.path("name").asText()).isGreaterThanOrEqualTo(5);
                long shutdown = DEPLOYMENTS.contains(n) ? (n.equals("gateway") ? gateway : services) : 0;
                // The grace period counts from the start of preStop: it must hold both, or the kubelet kills
                // requests still in flight.
                assertThat(grace).as("%s terminationGracePeriodSeconds > preStop %d s + shutdown %d s", n, preStop,
                        shutdown).isGreaterThan(preStop + shutdown);
            }
        }
    }

    /** quarkus.shutdown.timeout of a properties file, in seconds (0 when unset: no graceful shutdown). */
    private static long shutdownTimeout(java.nio.file.Path properties) throws Exception {
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newInputStream(properties)) {
            p.load(in);
        }
        String value = p.getProperty("quarkus.shutdown.timeout", "0s").strip().toLowerCase();
        return value.endsWith("s") ? Long.parseLong(value.substring(0, value.length() - 1))
                : java.time.Duration.parse(value.toUpperCase()).toSeconds();
    }

    @Test
    void secretLikeNamesAreRecognised() {
        assertThat(SECRET_LIKE.matcher("PAYOUT_ENCRYPTION_KEY").matches()).isTrue();
        assertThat(SECRET_LIKE.matcher("GATEWAY_STATE_SECRET").matches()).isTrue();
        assertThat(SECRET_LIKE.matcher("QUARKUS_DATASOURCE_PASSWORD").matches()).isTrue();
        assertThat(SECRET_LIKE.matcher("KAFKA_SASL_JAAS_CONFIG").matches()).isTrue(); // holds the password
        assertThat(SECRET_LIKE.matcher("KEYCLOAK_URL").matches()).isFalse();
    }

    @Test
    void theConfigKeyCheckKnowsTheEnvironmentForm() throws Exception {
        ConfigKeys payout = ConfigKeys.of("payout-service");
        assertThat(payout.reads("QUARKUS_DATASOURCE_JDBC_URL")).isTrue();
        assertThat(payout.reads("KAFKA_BOOTSTRAP_SERVERS")).isTrue(); // a platform default
        assertThat(payout.reads("PAYOUT_ENCRYPTION_KEY")).isTrue(); // only in a ${...} expression
        // A key rotation's variables (README "Rotating the field-encryption key"): a %test key and a plain key.
        assertThat(payout.reads("PAYOUT_ENCRYPTION_KEYS_2")).isTrue();
        assertThat(payout.reads("PAYOUT_ENCRYPTION_CURRENT_VERSION")).isTrue();
        assertThat(payout.reads("QUARKUS_DATASOURCE_JDBC_URI")).isFalse();
        // Kafka client settings: Quarkus passes every kafka.* property to the clients.
        assertThat(payout.reads("KAFKA_SASL_JAAS_CONFIG")).isTrue();
        assertThat(payout.reads("KAFKA_SSL_TRUSTSTORE_LOCATION")).isTrue();
        assertThat(payout.reads("KAFKA_SECURITY_PROTOCOLL")).isFalse();
        assertThat(ConfigKeys.of("gateway").reads("KAFKA_BOOTSTRAP_SERVERS")).isFalse();
        assertThat(ConfigKeys.of("gateway").reads("KAFKA_SECURITY_PROTOCOL")).isFalse();
        assertThat(ConfigKeys.of("gateway").reads("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING")).isTrue();
        assertThat(ConfigKeys.of("gateway").reads("QUARKUS_DATASOURCE_JDBC_URL")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void onlyTheGatewayIsExposedAndEveryDeploymentIsScaledBudgetedAndFenced(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        List<ObjectNode> ingresses = ofKind(objects, "Ingress");
        assertThat(ingresses).hasSize(1);
        assertThat(ingresses.get(0).findValuesAsText("name")).contains("gateway")
                .doesNotContain("identity-service", "eligibility-service", "enrollment-service", "payout-service");
        for (JsonNode svc : ofKind(objects, "Service")) {
            assertThat(svc.path("spec").path("type").asText("ClusterIP")).as("type of Service %s", name(svc))
                    .isEqualTo("ClusterIP");
        }
        assertThat(ofKind(objects, "NetworkPolicy")).as("a default deny for the whole namespace")
                .anySatisfy(p -> {
                    assertThat(p.path("spec").path("podSelector").isEmpty()).isTrue();
                    assertThat(p.path("spec").has("ingress") || p.path("spec").has("egress")).isFalse();
                    assertThat(p.path("spec").path("policyTypes").toString()).contains("Ingress", "Egress");
                });

        for (JsonNode deployment : ofKind(objects, "Deployment")) {
            String n = name(deployment);
            JsonNode podLabels = deployment.path("spec").path("template").path("metadata").path("labels");
            if (DEPLOYMENTS.contains(n)) {
                assertThat(ofKind(objects, "HorizontalPodAutoscaler")).as("an HPA scaling %s", n)
                        .anySatisfy(h -> assertThat(h.path("spec").path("scaleTargetRef").path("name").asText())
                                .isEqualTo(n));
                assertThat(deployment.path("spec").has("replicas")).as("%s leaves replicas to its HPA", n).isFalse();
            } else {
                // Redis: one server, never two at once (each would hold half of every client's count).
                assertThat(ofKind(objects, "HorizontalPodAutoscaler")).as("no HPA scaling %s", n)
                        .noneSatisfy(h -> assertThat(h.path("spec").path("scaleTargetRef").path("name").asText())
                                .isEqualTo(n));
                assertThat(deployment.path("spec").path("replicas").asInt()).as("%s replicas", n).isEqualTo(1);
                assertThat(deployment.path("spec").path("strategy").path("type").asText()).as("%s strategy", n)
                        .isEqualTo("Recreate");
            }
            assertThat(ofKind(objects, "PodDisruptionBudget")).as("a PDB selecting %s", n)
                    .anySatisfy(p -> assertThat(selects(p.path("spec").path("selector"), podLabels)).isTrue());
            assertThat(ofKind(objects, "NetworkPolicy")).as("a network policy of its own for %s", n)
                    .anySatisfy(p -> {
                        assertThat(p.path("spec").path("podSelector").isEmpty()).isFalse();
                        assertThat(selects(p.path("spec").path("podSelector"), podLabels)).isTrue();
                        assertThat(p.path("spec").path("policyTypes").toString()).contains("Ingress", "Egress");
                    });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void theServicesAreReachableFromTheGatewayOnlyAndReachOnlyTheirOwnDatabase(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        for (String service : DEPLOYMENTS) {
            if (service.equals("gateway")) {
                continue;
            }
            JsonNode policy = ofKind(objects, "NetworkPolicy").stream().filter(p -> name(p).equals(service))
                    .findFirst().orElseThrow(() -> new AssertionError("no NetworkPolicy " + service));
            assertThat(policy.path("spec").path("ingress").findValuesAsText("app.kubernetes.io/name"))
                    .as("%s accepts connections from", service).containsOnly("gateway");
            String db = service.replace("-service", "-db");
            assertThat(policy.path("spec").path("egress").findValuesAsText("cnpg.io/cluster"))
                    .as("databases %s may reach", service).containsExactly(db);
            assertThat(ofKind(objects, "Cluster")).extracting(Kustomize::name).contains(db);
        }
        JsonNode gateway = ofKind(objects, "NetworkPolicy").stream().filter(p -> name(p).equals("gateway"))
                .findFirst().orElseThrow();
        // The gateway may open exactly the port each service listens on.
        for (JsonNode rule : gateway.path("spec").path("egress")) {
            String target = rule.path("to").findPath("app.kubernetes.io/name").asText(null);
            if (target == null) {
                continue;
            }
            JsonNode deployment = ofKind(objects, "Deployment").stream().filter(d -> name(d).equals(target))
                    .findFirst().orElseThrow(() -> new AssertionError("gateway egress to unknown " + target));
            assertThat(rule.path("ports").findValuesAsText("port")).as("gateway -> %s ports", target)
                    .containsExactlyElementsOf(deployment.findValuesAsText("containerPort"));
        }
        for (JsonNode ingressRule : ofKind(objects, "NetworkPolicy").stream()
                .filter(p -> DEPLOYMENTS.contains(name(p))).flatMap(p -> {
                    List<JsonNode> rules = new ArrayList<>();
                    p.path("spec").path("ingress").forEach(rules::add);
                    return rules.stream().map(r -> ((ObjectNode) r.deepCopy()).put("policy", name(p)));
                }).toList()) {
            String policy = ingressRule.path("policy").asText();
            JsonNode deployment = ofKind(objects, "Deployment").stream().filter(d -> name(d).equals(policy))
                    .findFirst().orElseThrow();
            assertThat(ingressRule.path("ports").findValuesAsText("port")).as("ports %s accepts", policy)
                    .containsExactlyElementsOf(deployment.findValuesAsText("containerPort"));
        }
        assertThat(gateway.path("spec").path("ingress").findValuesAsText("kubernetes.io/metadata.name"))
                .containsOnly("ingress-nginx");
        assertThat(gateway.path("spec").path("egress").findValues("cnpg.io/cluster")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void redisServesTheGatewayOnlyAndTheGatewayIsPointedAtIt(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        JsonNode redis = ofKind(objects, "Deployment").stream().filter(d -> name(d).equals("redis")).findFirst()
                .orElseThrow();
        String port = redis.findValuesAsText("containerPort").get(0);
        JsonNode policy = ofKind(objects, "NetworkPolicy").stream().filter(p -> name(p).equals("redis")).findFirst()
                .orElseThrow(() -> new AssertionError("no NetworkPolicy redis"));
        assertThat(policy.path("spec").path("ingress").findValuesAsText("app.kubernetes.io/name"))
                .as("redis accepts connections from").containsOnly("gateway");
        assertThat(policy.path("spec").path("ingress").findValuesAsText("port")).containsOnly(port);
        assertThat(policy.path("spec").path("ingress").findValues("namespaceSelector")).isEmpty();
        assertThat(policy.path("spec").path("egress")).as("redis reaches nothing").isEmpty();
        assertThat(policy.path("spec").path("policyTypes").toString()).contains("Egress");
        for (JsonNode other : ofKind(objects, "NetworkPolicy")) {
            if (name(other).equals("gateway")) {
                continue;
            }
            assertThat(other.path("spec").path("egress").findValuesAsText("app.kubernetes.io/name"))
                    .as("NetworkPolicy %s lets no one else reach redis", name(other)).doesNotContain("redis");
        }
        // Persistence is off: rate-limit counters are worth nothing after their few seconds.
        assertThat(redis.findValue("args").toString()).contains("\"--save\",\"\"")
                .contains("\"--appendonly\",\"no\"");
        JsonNode service = ofKind(objects, "Service").stream().filter(s -> name(s).equals("redis")).findFirst()
                .orElseThrow();
        String gatewayRedis = ofKind(objects, "ConfigMap").stream().filter(c -> name(c).startsWith("gateway-config"))
                .findFirst().orElseThrow().path("data").path("QUARKUS_REDIS_HOSTS").asText();
        assertThat(gatewayRedis).isEqualTo("redis://" + name(service) + ":"
                + service.path("spec").path("ports").get(0).path("port").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void everyNetworkPolicyPeerNamingOurLabelsSelectsSomePods(String overlay) {
        // A selector that matches nothing does not fail anywhere: it silently blocks. Our own labels must match a
        // Deployment's pods; operator-made pods (cnpg.io, strimzi.io, Keycloak) are labelled by their operators.
        List<ObjectNode> objects = Kustomize.render(overlay);
        List<JsonNode> podLabels = ofKind(objects, "Deployment").stream()
                .map(d -> d.path("spec").path("template").path("metadata").path("labels")).toList();
        for (JsonNode policy : ofKind(objects, "NetworkPolicy")) {
            List<JsonNode> peers = new ArrayList<>(policy.path("spec").path("ingress").findValues("from"));
            peers.addAll(policy.path("spec").path("egress").findValues("to"));
            List<JsonNode> selectors = new ArrayList<>();
            selectors.add(policy.path("spec").path("podSelector"));
            peers.forEach(list -> list.forEach(peer -> {
                if (peer.has("podSelector") && !peer.has("namespaceSelector")) {
                    selectors.add(peer.path("podSelector"));
                }
            }));
            for (JsonNode selector : selectors) {
                boolean ours = false;
                for (Iterator<String> keys = selector.path("matchLabels").fieldNames(); keys.hasNext();) {
                    ours |= keys.next().matches("app\\.kubernetes\\.io/(name|component|part-of)");
                }
                // Pods in our namespace that we do not deploy: the Keycloak operator (install-operators.sh) and the
                // dev overlay's mail catcher and backup store (run by hand); NetworkPolicyModelTest models them.
                ours &= !selector.path("matchLabels").path("app.kubernetes.io/name").asText()
                        .matches("keycloak-operator|smtp|minio");
                if (ours) {
                    assertThat(podLabels).as("pods selected by %s in NetworkPolicy %s", selector, name(policy))
                            .anySatisfy(labels -> assertThat(selects(selector, labels)).isTrue());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void everyTopicOfTheLocalSetupIsAKafkaTopic(String overlay) throws Exception {
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Repo.ROOT.resolve("deploy/local/topics.txt"))) {
            String[] parts = line.strip().split("\\s+");
            // platform.selftest*: only the platform library's own tests use them.
            if (parts.length == 2 && !line.startsWith("#") && !parts[0].startsWith("platform.selftest")) {
                expected.put(RealmImport.CLUSTER_INSTANCE + "." + parts[0], Integer.parseInt(parts[1]));
            }
        }
        assertThat(expected).hasSizeGreaterThan(5);
        List<ObjectNode> objects = Kustomize.render(overlay);
        Map<String, Integer> declared = new LinkedHashMap<>();
        String cluster = name(ofKind(objects, "Kafka").get(0));
        int brokers = ofKind(objects, "KafkaNodePool").get(0).path("spec").path("replicas").asInt();
        for (JsonNode topic : ofKind(objects, "KafkaTopic")) {
            String topicName = topic.path("spec").path("topicName").asText(name(topic));
            declared.put(topicName, topic.path("spec").path("partitions").asInt());
            assertThat(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                    .as("cluster of topic %s", topicName).isEqualTo(cluster);
            assertThat(topic.path("spec").path("replicas").asInt()).as("replicas of %s", topicName)
                    .isBetween(1, brokers);
        }
        assertThat(declared).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void everyAppRunsAsTheClusterInstanceWhoseRealmAndTopicsExist(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        List<String> instances = new ArrayList<>();
        for (JsonNode configMap : ofKind(objects, "ConfigMap")) {
            if (name(configMap).matches("(identity|eligibility|enrollment|payout)-service-config-.*|gateway-config-.*")) {
                instances.add(configMap.path("data").path("INCENTIVES_INSTANCE").asText("(unset)"));
            }
        }
        assertThat(instances).hasSize(5).containsOnly(RealmImport.CLUSTER_INSTANCE);
        assertThat(ofKind(objects, "KeycloakRealmImport").get(0).path("spec").path("realm").path("realm").asText())
                .isEqualTo("incentives-" + RealmImport.CLUSTER_INSTANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void theRealmSendsBrowsersBackToTheGatewaysHost(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        String host = ofKind(objects, "Ingress").get(0).path("spec").path("rules").get(0).path("host").asText();
        boolean tls = ofKind(objects, "Ingress").get(0).path("spec").has("tls");
        String url = (tls ? "https://" : "http://") + host;
        JsonNode gatewayClient = null;
        for (JsonNode client : ofKind(objects, "KeycloakRealmImport").get(0).path("spec").path("realm")
                .path("clients")) {
            if (client.path("clientId").asText().equals("gateway")) {
                gatewayClient = client;
            }
        }
        assertThat(gatewayClient).isNotNull();
        assertThat(gatewayClient.path("redirectUris").toString()).isEqualTo("[\"" + url + "/*\"]");
        assertThat(gatewayClient.path("webOrigins").toString()).isEqualTo("[\"" + url + "\"]");
        assertThat(gatewayClient.path("rootUrl").asText()).isEqualTo(url);
        if (overlay.equals("production")) {
            assertThat(tls).as("production ingress has TLS").isTrue();
            assertThat(ofKind(objects, "Keycloak").get(0).path("spec").path("hostname").path("hostname").asText())
                    .startsWith("https://");
        }
    }

    /** A resource quantity ("500m", "320Mi") as a number: cores or bytes. */
    private static BigDecimal quantity(String text) {
        return Quantity.getAmountInBytes(new Quantity(text));
    }

    /**
     * Whether a selector names these labels. An empty selector (which selects every pod) does not count here: the
     * checks ask for a PDB or a policy of the Deployment's own.
     */
    private static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector.path("matchLabels").isEmpty() && selector.path("matchExpressions").isEmpty()) {
            return false;
        }
        return LabelSelectors.matches(selector, labels);
    }
}
