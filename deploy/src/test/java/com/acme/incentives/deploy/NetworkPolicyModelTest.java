package com.acme.incentives.deploy;

import static com.acme.incentives.deploy.Kustomize.name;
import static com.acme.incentives.deploy.Kustomize.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.incentives.deploy.PodNetwork.Endpoint;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every NetworkPolicy of an overlay, evaluated ({@link PodNetwork}) over a model of every pod that will run: ours
 * (from the rendered Deployments) and those the operators make, with the labels the operators really set (sizes from
 * the rendered Cluster, Keycloak and KafkaNodePool objects), plus the pods of other namespaces that talk to ours and
 * the addresses outside the cluster. Each connection the platform needs ({@link #needs}: from, to, port, why) must be
 * allowed; every other connection between two endpoints of the model, to each port the server listens on, must be
 * denied, apart from the few listed in {@link #tolerated} with the reason they cannot be narrower.
 * <p>
 * Operator-made pods (checked against the operators' sources):
 * <ul>
 * <li>CloudNativePG: instances {@code cnpg.io/cluster}, {@code cnpg.io/podRole=instance},
 * {@code cnpg.io/instanceName}; the initdb Job of the first instance and a join Job for each further one,
 * {@code cnpg.io/cluster}, {@code cnpg.io/jobRole}, {@code cnpg.io/instanceName} (no podRole). The operator in
 * {@code cnpg-system}, {@code app.kubernetes.io/name=cloudnative-pg}. Backups (in-tree Barman Cloud) run in the
 * instance pods, no pod of their own; their object store is outside (production) or a MinIO pod (dev).</li>
 * <li>Keycloak operator: server pods {@code app=keycloak}, {@code app.kubernetes.io/managed-by=keycloak-operator},
 * {@code app.kubernetes.io/instance}; the realm-import Job's pod the same with {@code app=keycloak-realm-import};
 * the operator {@code app.kubernetes.io/name=keycloak-operator}, in our namespace.</li>
 * <li>Strimzi: KRaft nodes {@code strimzi.io/cluster}, {@code strimzi.io/kind=Kafka},
 * {@code strimzi.io/name=<cluster>-kafka}, {@code strimzi.io/pool-name}; the entity operator
 * {@code strimzi.io/name=<cluster>-entity-operator}; the cluster operator in {@code strimzi},
 * {@code strimzi.io/kind=cluster-operator}.</li>
 * </ul>
 */
class NetworkPolicyModelTest {

    static final String MONITORING = "monitoring";
    static final int[] API_SERVER_PORTS = { 443, 6443 };

    /** A connection the platform needs. */
    record Need(String from, String to, String protocol, int port, String why) {
    }

    /** The model: endpoints by name, and what the test knows of their roles. */
    static final class Model {
        final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        final List<Need> needs = new ArrayList<>();
        final Set<String> usesApiServer = new LinkedHashSet<>();
        private int next = 10;

        Endpoint pod(String name, String namespace, Map<String, String> labels, Map<String, Integer> named,
                String... listens) {
            Endpoint e = new Endpoint(name, namespace, labels, "10.244.0." + next++, Set.of(listens), named);
            endpoints.put(name, e);
            return e;
        }

        Endpoint external(String name, String ip, String... listens) {
            Endpoint e = new Endpoint(name, null, Map.of(), ip, Set.of(listens), Map.of());
            endpoints.put(name, e);
            return e;
        }

        List<String> named(Predicate<Endpoint> which) {
            return endpoints.values().stream().filter(which).map(Endpoint::name).toList();
        }

        void need(String from, String to, int port, String why) {
            need(from, to, "TCP", port, why);
        }

        void need(String from, String to, String protocol, int port, String why) {
            if (!endpoints.containsKey(from) || !endpoints.containsKey(to)) {
                throw new IllegalArgumentException("not in the model: " + from + " or " + to);
            }
            needs.add(new Need(from, to, protocol, port, why));
        }

        void needsApiServer(String pod, String why) {
            usesApiServer.add(pod);
            for (int port : API_SERVER_PORTS) {
                need(pod, "kube-apiserver", port, why);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void everyNeededConnectionIsAllowedAndEveryOtherDenied(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        PodNetwork network = new PodNetwork(objects);
        Model model = model(objects, network.namespace());

        List<String> blocked = new ArrayList<>();
        Set<String> needed = new LinkedHashSet<>();
        for (Need need : model.needs) {
            needed.add(key(need.from(), need.to(), need.protocol(), need.port()));
            if (!network.allows(model.endpoints.get(need.from()), model.endpoints.get(need.to()), need.protocol(),
                    need.port())) {
                blocked.add(need.from() + " -> " + need.to() + " " + need.protocol() + "/" + need.port() + " ("
                        + need.why() + ")");
            }
        }
        assertThat(blocked).as("needed connections the policies of %s block", overlay).isEmpty();

        List<String> open = new ArrayList<>();
        int denied = 0;
        for (Endpoint from : model.endpoints.values()) {
            if (!from.isPod()) {
                continue; // addresses outside reach in only through the ingress controller (a pod of the model)
            }
            for (Endpoint to : model.endpoints.values()) {
                if (from == to || (!network.namespace().equals(from.namespace())
                        && !network.namespace().equals(to.namespace()))) {
                    continue; // no policy of ours is on either side
                }
                for (String listen : to.listens()) {
                    String protocol = listen.split("/")[0];
                    int port = Integer.parseInt(listen.split("/")[1]);
                    if (needed.contains(key(from.name(), to.name(), protocol, port))) {
                        continue;
                    }
                    if (!network.allows(from, to, protocol, port)) {
                        denied++;
                    } else if (tolerated(model, from, to, port) == null) {
                        open.add(from.name() + " -> " + to.name() + " " + listen);
                    }
                }
            }
        }
        assertThat(open).as("connections the policies of %s allow though nothing needs them", overlay).isEmpty();
        // The model must be big enough to mean something: the pairs it denies outnumber those it allows.
        assertThat(denied).isGreaterThan(model.needs.size());
    }

    @ParameterizedTest
    @ValueSource(strings = { "production" })
    void theModelNoticesAWiderPolicy(String overlay) {
        // The evaluation must fail when a policy opens a path nobody needs: widen Redis's ingress to every pod.
        List<ObjectNode> objects = new ArrayList<>();
        for (ObjectNode o : Kustomize.render(overlay)) {
            objects.add(o.deepCopy());
        }
        ObjectNode redis = ofKind(objects, "NetworkPolicy").stream().filter(p -> name(p).equals("redis")).findFirst()
                .orElseThrow();
        ((ObjectNode) redis.path("spec").path("ingress").get(0)).remove("from");
        PodNetwork network = new PodNetwork(objects);
        Model model = model(objects, network.namespace());
        // identity-service's own egress still keeps it away; a pod of another namespace has no policy of ours.
        assertThat(network.allows(model.endpoints.get("identity-service"), model.endpoints.get("redis"), "TCP", 6379))
                .isFalse();
        assertThat(network.allows(model.endpoints.get("ingress-nginx"), model.endpoints.get("redis"), "TCP", 6379))
                .isTrue();
        assertThat(tolerated(model, model.endpoints.get("ingress-nginx"), model.endpoints.get("redis"), 6379))
                .isNull();
        PodNetwork rendered = new PodNetwork(Kustomize.render(overlay));
        assertThat(rendered.allows(model.endpoints.get("ingress-nginx"), model.endpoints.get("redis"), "TCP", 6379))
                .isFalse();
        assertThat(rendered.allows(model.endpoints.get("gateway"), model.endpoints.get("redis"), "TCP", 6379))
                .isTrue();
    }

    private static String key(String from, String to, String protocol, int port) {
        return from + ">" + to + ">" + protocol + "/" + port;
    }

    /**
     * Why an allowed connection nobody needs is still acceptable, or null. Only three kinds, each because the policy
     * cannot name the other end more narrowly without knowing the cluster:
     */
    static String tolerated(Model model, Endpoint from, Endpoint to, int port) {
        if (model.usesApiServer.contains(from.name())
                && (port == API_SERVER_PORTS[0] || port == API_SERVER_PORTS[1])) {
            // Portable, at a price: such a pod reaches anything on 443/6443 (README.md, "Network policies").
            return "the API-server rule names its ports, not its address (operators.yaml)";
        }
        if (from.name().equals("payout-service") && to.namespace() == null && port == 443
                && !to.ip().matches("10\\..*|172\\.(1[6-9]|2\\d|3[01])\\..*|192\\.168\\..*")) {
            // The bank rule admits any public address on 443 until it is narrowed to the bank's (README.md, "Known
            // gaps"), so payout-service could reach another public HTTPS endpoint such as the backup object store.
            return "payout-service's bank rule names port 443 and the public addresses, not the bank's";
        }
        if (MONITORING.equals(from.namespace()) && from.name().equals("otel-collector")) {
            // The scrape rules admit the monitoring namespace; Prometheus's own labels depend on how it was
            // installed (README.md, "Monitoring"), so the collector beside it may reach the metrics ports too.
            return "monitoring namespace";
        }
        return null;
    }

    static Model model(List<ObjectNode> objects, String ns) {
        Model m = new Model();
        // Other namespaces that talk to ours, and addresses outside the cluster.
        m.pod("ingress-nginx", "ingress-nginx",
                Map.of("app.kubernetes.io/name", "ingress-nginx", "app.kubernetes.io/component", "controller"),
                Map.of(), "TCP/80", "TCP/443");
        m.pod("prometheus", MONITORING, Map.of("app.kubernetes.io/name", "prometheus"), Map.of(), "TCP/9090");
        m.pod("otel-collector", MONITORING, Map.of("app.kubernetes.io/name", "opentelemetry-collector"), Map.of(),
                "TCP/4317");
        m.pod("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns"), Map.of(), "UDP/53", "TCP/53");
        m.pod("cnpg-operator", "cnpg-system", Map.of("app.kubernetes.io/name", "cloudnative-pg"), Map.of(),
                "TCP/9443", "TCP/8080");
        m.pod("strimzi-cluster-operator", "strimzi",
                Map.of("name", "strimzi-cluster-operator", "strimzi.io/kind", "cluster-operator"), Map.of(),
                "TCP/8080");
        m.external("kube-apiserver", "172.18.0.2", "TCP/443", "TCP/6443");
        m.external("bank", "198.51.100.7", "TCP/443");

        // Ours, as rendered.
        Map<String, Integer> appPorts = new HashMap<>();
        for (JsonNode deployment : ofKind(objects, "Deployment")) {
            JsonNode template = deployment.path("spec").path("template");
            Map<String, String> labels = new HashMap<>();
            template.path("metadata").path("labels").properties().forEach(e -> labels.put(e.getKey(),
                    e.getValue().asText()));
            Map<String, Integer> named = new HashMap<>();
            List<String> listens = new ArrayList<>();
            for (JsonNode port : template.findValues("ports").get(0)) {
                named.put(port.path("name").asText(), port.path("containerPort").asInt());
                listens.add(port.path("protocol").asText("TCP") + "/" + port.path("containerPort").asInt());
                appPorts.put(name(deployment), port.path("containerPort").asInt());
            }
            m.pod(name(deployment), ns, labels, named, listens.toArray(String[]::new));
        }

        // CloudNativePG: each Cluster's instances, its initdb Job and a join Job per further instance.
        Map<String, List<String>> instances = new LinkedHashMap<>();
        for (JsonNode cluster : ofKind(objects, "Cluster")) {
            String c = name(cluster);
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= cluster.path("spec").path("instances").asInt(); i++) {
                String pod = c + "-" + i;
                m.pod(pod, ns, Map.of("cnpg.io/cluster", c, "cnpg.io/podRole", "instance", "cnpg.io/instanceName",
                        pod, "cnpg.io/instanceRole", i == 1 ? "primary" : "replica"), Map.of("metrics", 9187),
                        "TCP/5432", "TCP/8000", "TCP/9187");
                names.add(pod);
                String job = pod + (i == 1 ? "-initdb" : "-join");
                m.pod(job, ns, Map.of("cnpg.io/cluster", c, "cnpg.io/jobRole", i == 1 ? "initdb" : "join",
                        "cnpg.io/instanceName", pod), Map.of());
                m.needsApiServer(job, "the " + (i == 1 ? "initdb" : "join") + " Job's instance manager reads its Cluster");
            }
            instances.put(c, names);
        }
        // Backups: the instance manager of each instance runs barman-cloud (WAL archiving from the primary, base
        // backups from a replica) against the Cluster's object store: an in-namespace store (dev: endpointURL
        // http://<service>:<port>, a pod labelled app.kubernetes.io/name=<service>) or one outside (HTTPS, 443).
        for (JsonNode cluster : ofKind(objects, "Cluster")) {
            JsonNode store = cluster.path("spec").path("backup").path("barmanObjectStore");
            if (store.isMissingNode()) {
                continue;
            }
            URI endpoint = URI.create(store.path("endpointURL").asText("https://s3.amazonaws.com"));
            int port = endpoint.getPort() > 0 ? endpoint.getPort() : 443;
            if (!m.endpoints.containsKey("object-store")) {
                if (endpoint.getHost().contains(".")) {
                    m.external("object-store", "192.0.2.80", "TCP/" + port);
                } else {
                    m.pod("object-store", ns, Map.of("app.kubernetes.io/name", endpoint.getHost()), Map.of(),
                            "TCP/" + port);
                }
            }
            for (String pod : instances.get(name(cluster))) {
                m.need(pod, "object-store", port, "WAL archiving and base backups to the object store");
            }
        }

        // Keycloak operator: the server pods, the realm-import Job, the operator itself.
        JsonNode keycloak = ofKind(objects, "Keycloak").get(0);
        String kc = name(keycloak);
        List<String> keycloaks = new ArrayList<>();
        for (int i = 0; i < keycloak.path("spec").path("instances").asInt(); i++) {
            String pod = kc + "-" + i;
            m.pod(pod, ns, Map.of("app", "keycloak", "app.kubernetes.io/managed-by", "keycloak-operator",
                    "app.kubernetes.io/instance", kc), Map.of("http", 8080, "management", 9000), "TCP/8080",
                    "TCP/9000", "TCP/7800", "TCP/57800");
            keycloaks.add(pod);
        }
        m.pod("realm-import", ns, Map.of("app", "keycloak-realm-import", "app.kubernetes.io/managed-by",
                "keycloak-operator", "app.kubernetes.io/instance", kc), Map.of());
        m.pod("keycloak-operator", ns, Map.of("app.kubernetes.io/name", "keycloak-operator",
                "app.kubernetes.io/managed-by", "quarkus"), Map.of(), "TCP/8080");

        // Strimzi: the KRaft nodes of the pool, the entity operator.
        JsonNode kafkaCr = ofKind(objects, "Kafka").get(0);
        String kafka = name(kafkaCr);
        JsonNode pool = ofKind(objects, "KafkaNodePool").get(0);
        // Strimzi's own ports (controllers 9090, replication 9091, metrics 9404, agent 8443) and each listener of
        // the Kafka resource (the services' TLS listener; KafkaSecurityManifestsTest checks which they use).
        List<String> nodePorts = new ArrayList<>(List.of("TCP/9090", "TCP/9091", "TCP/9404", "TCP/8443"));
        List<Integer> listenerPorts = new ArrayList<>();
        kafkaCr.path("spec").path("kafka").path("listeners").forEach(l -> listenerPorts.add(l.path("port").asInt()));
        listenerPorts.forEach(p -> nodePorts.add("TCP/" + p));
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < pool.path("spec").path("replicas").asInt(); i++) {
            String pod = kafka + "-" + name(pool) + "-" + i;
            m.pod(pod, ns, Map.of("strimzi.io/cluster", kafka, "strimzi.io/kind", "Kafka", "strimzi.io/name",
                    kafka + "-kafka", "strimzi.io/component-type", "kafka", "strimzi.io/pool-name", name(pool),
                    "strimzi.io/broker-role", "true", "strimzi.io/controller-role", "true", "app.kubernetes.io/name",
                    "kafka", "app.kubernetes.io/part-of", "strimzi-" + kafka),
                    Map.of("tcp-prometheus", 9404), nodePorts.toArray(String[]::new));
            nodes.add(pod);
        }
        String entityOperator = kafka + "-entity-operator";
        m.pod(entityOperator, ns, Map.of("strimzi.io/cluster", kafka, "strimzi.io/kind", "Kafka", "strimzi.io/name",
                kafka + "-entity-operator", "strimzi.io/component-type", "entity-operator", "app.kubernetes.io/name",
                "entity-operator", "app.kubernetes.io/part-of", "strimzi-" + kafka), Map.of(), "TCP/8080");

        // Mail: an external relay, or (dev) the mail catcher pod in the namespace.
        String smtpHost = env(objects, "enrollment-service-config", "SMTP_HOST");
        int smtpPort = Integer.parseInt(env(objects, "enrollment-service-config", "SMTP_PORT"));
        if (smtpHost.contains(".")) {
            m.external("smtp-relay", "203.0.113.25", "TCP/25", "TCP/465", "TCP/587");
        } else {
            m.pod("smtp-relay", ns, Map.of("app.kubernetes.io/name", smtpHost), Map.of(), "TCP/" + smtpPort);
        }

        // What runs needs this, and nothing else.
        List<String> services = List.of("identity-service", "eligibility-service", "enrollment-service",
                "payout-service");
        for (String pod : m.named(e -> ns.equals(e.namespace()))) {
            m.need(pod, "kube-dns", "UDP", 53, "name resolution");
            m.need(pod, "kube-dns", "TCP", 53, "name resolution (large answers)");
        }
        m.need("ingress-nginx", "gateway", 8080, "browsers and API clients reach the gateway through the Ingress");
        for (String k : keycloaks) {
            m.need("ingress-nginx", k, 8080, "browsers sign in on Keycloak's pages (its Ingress)");
            m.need("gateway", k, 8080, "code flow: tokens; keys to check them");
        }
        m.need("gateway", "redis", 6379, "shared rate-limit counters");
        for (String svc : services) {
            m.need("gateway", svc, appPorts.get(svc), "routes /api/v1 to the owning service");
            for (String db : instances.get(svc.replace("-service", "-db"))) {
                m.need(svc, db, 5432, "its own database (any instance may be the primary)");
            }
            for (String node : nodes) {
                for (int port : listenerPorts) {
                    m.need(svc, node, port, "outbox publishing and consumers: the TLS listener, SCRAM login");
                }
            }
            for (String k : keycloaks) {
                m.need(svc, k, 8080, "token keys; identity-service's admin API calls");
            }
        }
        m.need("enrollment-service", "smtp-relay", smtpPort, "invitation mail");
        m.need("payout-service", "bank", 443, "the bank's transfer channel");
        for (String app : appPorts.keySet()) {
            if (!app.equals("redis")) {
                m.need("prometheus", app, appPorts.get(app), "/q/metrics");
                m.need(app, "otel-collector", 4317, "traces over OTLP/gRPC");
            }
        }
        for (String node : nodes) {
            m.need("prometheus", node, 9404, "Kafka metrics (Strimzi metrics reporter)");
            m.need(entityOperator, node, 9091, "the topic and user operators reconcile KafkaTopics and KafkaUsers");
            m.need("strimzi-cluster-operator", node, 9090, "controller quorum state");
            m.need("strimzi-cluster-operator", node, 9091, "admin client: rolling, configuration");
            m.need("strimzi-cluster-operator", node, 8443, "Kafka agent: broker state during start-up and rolls");
            for (String other : nodes) {
                if (!other.equals(node)) {
                    m.need(node, other, 9090, "KRaft controller quorum");
                    m.need(node, other, 9091, "replication between brokers");
                }
            }
        }
        m.needsApiServer(entityOperator, "the topic and user operators watch KafkaTopics and KafkaUsers");
        m.needsApiServer("keycloak-operator", "the Keycloak operator reconciles its resources");
        for (Map.Entry<String, List<String>> cluster : instances.entrySet()) {
            for (String pod : cluster.getValue()) {
                m.needsApiServer(pod, "the instance manager watches its Cluster");
                m.need("cnpg-operator", pod, 8000, "the operator asks the instance manager for its status");
                m.need("prometheus", pod, 9187, "PostgreSQL metrics (CloudNativePG exporter)");
                for (String other : cluster.getValue()) {
                    if (!other.equals(pod)) {
                        m.need(other, pod, 5432, "streaming replication from the primary (roles swap at failover)");
                    }
                    if (m.endpoints.containsKey(other + "-join")) {
                        m.need(other + "-join", pod, 5432, "a join Job copies the primary with pg_basebackup");
                    }
                }
            }
        }
        for (String k : keycloaks) {
            for (String db : instances.get("keycloak-db")) {
                m.need(k, db, 5432, "Keycloak's database");
            }
            for (String other : keycloaks) {
                if (!other.equals(k)) {
                    m.need(k, other, 7800, "Infinispan cluster (JGroups)");
                    m.need(k, other, 57800, "JGroups failure detection");
                }
            }
        }
        for (String db : instances.get("keycloak-db")) {
            m.need("realm-import", db, 5432, "kc.sh import writes the realm into Keycloak's database");
        }
        return m;
    }

    private static String env(List<ObjectNode> objects, String configMapPrefix, String key) {
        return ofKind(objects, "ConfigMap").stream().filter(c -> name(c).startsWith(configMapPrefix + "-"))
                .findFirst().orElseThrow().path("data").path(key).asText();
    }
}
