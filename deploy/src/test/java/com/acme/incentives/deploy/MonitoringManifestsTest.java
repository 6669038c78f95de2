package com.acme.incentives.deploy;

import static com.acme.incentives.deploy.Kustomize.name;
import static com.acme.incentives.deploy.Kustomize.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.incentives.deploy.PodNetwork.Endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "It must be watched" (issue 21), checked on what an overlay would apply: Prometheus scrapes every service, Kafka
 * and every PostgreSQL cluster (monitors whose label selectors really select their pods), the monitoring namespace
 * may reach each metrics port (the NetworkPolicies evaluated as a CNI would), the PrometheusRule has an alert for
 * each thing to watch and names only documented series of ours, tracing points at the collector it may reach, and
 * the Ingress routes no /q/ path to the gateway.
 * <p>
 * Operator-made pods are not in the rendered manifests; their labels and metrics ports are modelled below from the
 * operators' documentation (Strimzi: strimzi.io/cluster, strimzi.io/kind=Kafka, port 9404 "tcp-prometheus";
 * CloudNativePG: cnpg.io/cluster, cnpg.io/podRole=instance, port 9187 "metrics").
 */
class MonitoringManifestsTest {

    /** The target label every monitor of ours adds (monitors.yaml), by which the alerts find our namespace. */
    static final String SYSTEM_LABEL = "system";
    static final String SYSTEM = "partner-incentives";
    /** Series of ours, as named in docs/observability.md. */
    static final Pattern OUR_SERIES = Pattern.compile(
            "\\b((?:outbox|inbox|payout|enrollment|gateway|eligibility|identity|http_server)_[a-z0-9_]+)\\b");

    /** A pod to scrape: its labels and its container ports by name. */
    record Pod(String what, JsonNode labels, Map<String, Integer> ports) {
    }

    /** A pod scraped by a monitor, on the port (a number) the monitor scrapes. */
    record Target(Pod pod, int port) {
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void everyServiceKafkaBrokerAndPostgresInstanceIsScraped(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        List<Target> targets = scrapeTargets(objects);
        List<String> scraped = targets.stream().map(t -> t.pod().what()).toList();
        for (String deployment : DeploymentManifestsTest.DEPLOYMENTS) {
            assertThat(scraped).as("%s: a ServiceMonitor scrapes /q/metrics on its HTTP port", deployment)
                    .contains("Deployment/" + deployment);
        }
        for (JsonNode kafka : ofKind(objects, "Kafka")) {
            assertThat(kafka.path("spec").path("kafka").has("metricsConfig"))
                    .as("Kafka %s exposes metrics (spec.kafka.metricsConfig)", name(kafka)).isTrue();
        }
        for (Pod broker : kafkaBrokers(objects)) {
            assertThat(scraped).as("%s is scraped by a PodMonitor", broker.what()).contains(broker.what());
        }
        for (JsonNode cluster : ofKind(objects, "Cluster")) {
            assertThat(scraped).as("PostgreSQL Cluster %s is scraped by a PodMonitor", name(cluster))
                    .contains("Cluster/" + name(cluster));
        }
        // Redis is not a Quarkus application and serves no metrics: no monitor may claim it.
        assertThat(scraped).doesNotContain("Deployment/redis");
        for (JsonNode monitor : monitors(objects)) {
            for (JsonNode endpoint : endpointsOf(monitor)) {
                assertThat(endpoint.path("relabelings").toString())
                        .as("%s labels its targets %s=%s (the alerts rely on it)", Kustomize.id(monitor),
                                SYSTEM_LABEL, SYSTEM)
                        .contains("\"targetLabel\":\"" + SYSTEM_LABEL + "\"")
                        .contains("\"replacement\":\"" + SYSTEM + "\"");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void theMonitoringNamespaceMayReachEveryMetricsPortAndNoOtherNamespaceMay(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        String monitoring = monitoringNamespace();
        List<Target> targets = scrapeTargets(objects);
        assertThat(targets).isNotEmpty();
        PodNetwork network = new PodNetwork(objects);
        for (Target target : targets) {
            Endpoint pod = ours(network, target.pod());
            assertThat(network.allows(aPodOf(monitoring), pod, "TCP", target.port()))
                    .as("namespace %s may reach %s on its metrics port %s", monitoring, target.pod().what(),
                            target.port())
                    .isTrue();
            assertThat(network.allows(aPodOf("elsewhere"), pod, "TCP", target.port()))
                    .as("namespace 'elsewhere' may not reach %s on %s", target.pod().what(), target.port())
                    .isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void tracesGoToTheCollectorInTheMonitoringNamespaceWhichThePodsMayReach(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        String monitoring = monitoringNamespace();
        PodNetwork network = new PodNetwork(objects);
        for (JsonNode deployment : ofKind(objects, "Deployment")) {
            if (!DeploymentManifestsTest.DEPLOYMENTS.contains(name(deployment))) {
                continue;
            }
            Map<String, String> env = environment(objects, deployment);
            URI endpoint = URI.create(env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", ""));
            assertThat(endpoint.getHost()).as("%s: the collector's address", name(deployment))
                    .isNotNull()
                    .matches("[a-z0-9-]+\\." + Pattern.quote(monitoring) + "(\\.svc(\\.cluster\\.local)?)?");
            assertThat(endpoint.getPort()).as("%s: OTLP/gRPC port", name(deployment)).isEqualTo(4317);
            Endpoint pod = ours(network, new Pod("Deployment/" + name(deployment), podLabels(deployment), Map.of()));
            assertThat(network.allows(pod, aPodOf(monitoring), "TCP", endpoint.getPort()))
                    .as("%s may reach the collector in %s on %s", name(deployment), monitoring, endpoint.getPort())
                    .isTrue();
            // Tracing is on where there is a collector to send to: production.
            assertThat(env.get("OTEL_SDK_DISABLED")).as("%s OTEL_SDK_DISABLED in %s", name(deployment), overlay)
                    .isEqualTo(overlay.equals("production") ? "false" : "true");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void thePrometheusRuleHasAnAlertForEachThingToWatch(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        Map<String, JsonNode> alerts = alerts(objects);
        // What issue 21 asks to be alerted on: the alert, and a series its expression must use.
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("ScrapeTargetDown", List.of("up{" + SYSTEM_LABEL + "=\"" + SYSTEM + "\"}"));
        expected.put("DeploymentUnavailable", List.of("kube_deployment_status_replicas_available"));
        expected.put("PodRestarting", List.of("kube_pod_container_status_restarts_total"));
        expected.put("ContainerOOMKilled",
                List.of("kube_pod_container_status_last_terminated_reason", "reason=\"OOMKilled\""));
        expected.put("OutboxNotPublishing", List.of("outbox_oldest_unsent_age_seconds"));
        expected.put("EventsDeadLettered", List.of("inbox_dead_letters_total"));
        expected.put("PayoutRunStuck", List.of("payout_payments{state=\"IN_PROGRESS\"}"));
        expected.put("BankFilesNotHandedOver", List.of("payout_bank_files{state=\"READY\"}"));
        expected.put("PostgresReplicationLagging", List.of("cnpg_pg_replication_lag"));
        expected.put("PostgresBackupFailed",
                List.of("cnpg_collector_last_failed_backup_timestamp", "cnpg_collector_last_available_backup_timestamp"));
        expected.put("CertificateExpiresSoon", List.of("certmanager_certificate_expiration_timestamp_seconds"));
        expected.forEach((alert, series) -> {
            assertThat(alerts).as("alert %s", alert).containsKey(alert);
            series.forEach(s -> assertThat(alerts.get(alert).path("expr").asText()).as("%s uses %s", alert, s)
                    .contains(s));
        });
        alerts.forEach((alert, rule) -> {
            assertThat(rule.path("annotations").path("description").asText()).as("%s: a runbook-style description",
                    alert).hasSizeGreaterThan(40);
            assertThat(rule.path("labels").path("severity").asText()).as("%s severity", alert)
                    .isIn("warning", "critical");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void everySeriesOfOursInAnAlertIsDocumented(String overlay) throws Exception {
        String documented = Files.readString(Repo.ROOT.resolve("docs/observability.md"));
        Set<String> used = new LinkedHashSet<>();
        alerts(Kustomize.render(overlay)).values().forEach(rule -> used.addAll(ourSeries(rule.path("expr").asText())));
        assertThat(used).as("series of ours the alerts use").contains("outbox_oldest_unsent_age_seconds",
                "inbox_dead_letters_total", "payout_payments");
        assertThat(used).as("series of ours used by an alert but not in docs/observability.md (a typo, or a series "
                + "that does not exist)").allSatisfy(series -> assertThat(documented)
                        .containsPattern("(?<![a-z0-9_])" + Pattern.quote(series) + "(?![a-z0-9_])"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void theIngressRoutesNoManagementPathToTheGateway(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        List<ObjectNode> ingresses = ofKind(objects, "Ingress");
        for (String path : List.of("/q", "/q/", "/q/health", "/q/health/ready", "/q/health/live", "/q/metrics",
                "/q/openapi")) {
            for (JsonNode ingress : ingresses) {
                Optional<String> backend = IngressPaths.backendFor(ingress, path);
                assertThat(backend).as("%s routes %s to", Kustomize.id(ingress), path).isPresent();
                assertThat(backend.get()).as("%s routes %s to", Kustomize.id(ingress), path).isNotEqualTo("gateway");
                JsonNode service = ofKind(objects, "Service").stream().filter(s -> name(s).equals(backend.get()))
                        .findFirst().orElseThrow(() -> new AssertionError("no Service " + backend.get()));
                assertThat(ofKind(objects, "Deployment")).as("pods behind Service %s", backend.get())
                        .noneSatisfy(d -> assertThat(LabelSelectors.matchesMap(service.path("spec").path("selector"),
                                podLabels(d))).isTrue());
            }
        }
        // Everything else a browser or a client calls still reaches the gateway: the API, sign-in, the portal's
        // pages and assets, and paths that only start with the letter q.
        for (String path : List.of("/", "/api/v1/me", "/login", "/logout", "/session", "/payments",
                "/assets/index-1a2b3c.js", "/quotes", "/api/q/metrics")) {
            assertThat(IngressPaths.backendFor(ingresses.get(0), path)).as("Ingress routes %s to", path)
                    .contains("gateway");
        }
    }

    // --- what is scraped

    static List<JsonNode> monitors(List<ObjectNode> objects) {
        List<JsonNode> monitors = new ArrayList<>(ofKind(objects, "ServiceMonitor"));
        monitors.addAll(ofKind(objects, "PodMonitor"));
        return monitors;
    }

    private static List<JsonNode> endpointsOf(JsonNode monitor) {
        List<JsonNode> endpoints = new ArrayList<>();
        monitor.path("spec").path(monitor.path("kind").asText().equals("ServiceMonitor") ? "endpoints"
                : "podMetricsEndpoints").forEach(endpoints::add);
        return endpoints;
    }

    /**
     * Every pod some monitor scrapes: ServiceMonitors through the Services they select (the Service's port named by
     * the endpoint, its targetPort resolved on the pod); PodMonitors directly, on the pod's port of that name. A
     * ServiceMonitor endpoint of ours must scrape /q/metrics.
     */
    static List<Target> scrapeTargets(List<ObjectNode> objects) {
        List<Pod> pods = new ArrayList<>();
        for (JsonNode deployment : ofKind(objects, "Deployment")) {
            pods.add(new Pod("Deployment/" + name(deployment), podLabels(deployment), containerPorts(deployment)));
        }
        pods.addAll(kafkaBrokers(objects));
        pods.addAll(postgresInstances(objects));
        List<Target> targets = new ArrayList<>();
        for (JsonNode monitor : ofKind(objects, "ServiceMonitor")) {
            assertThat(monitor.path("spec").has("namespaceSelector")).as("%s watches its own namespace",
                    Kustomize.id(monitor)).isFalse();
            for (JsonNode service : ofKind(objects, "Service")) {
                if (!LabelSelectors.matches(monitor.path("spec").path("selector"), service.path("metadata")
                        .path("labels"))) {
                    continue;
                }
                for (JsonNode endpoint : monitor.path("spec").path("endpoints")) {
                    assertThat(endpoint.path("path").asText()).as("%s path", Kustomize.id(monitor))
                            .isEqualTo("/q/metrics");
                    for (JsonNode servicePort : service.path("spec").path("ports")) {
                        if (!servicePort.path("name").asText().equals(endpoint.path("port").asText())) {
                            continue;
                        }
                        for (Pod pod : pods) {
                            if (LabelSelectors.matchesMap(service.path("spec").path("selector"), pod.labels())) {
                                resolve(servicePort.path("targetPort"), pod)
                                        .ifPresent(port -> targets.add(new Target(pod, port)));
                            }
                        }
                    }
                }
            }
        }
        for (JsonNode monitor : ofKind(objects, "PodMonitor")) {
            assertThat(monitor.path("spec").has("namespaceSelector")).as("%s watches its own namespace",
                    Kustomize.id(monitor)).isFalse();
            for (Pod pod : pods) {
                if (!LabelSelectors.matches(monitor.path("spec").path("selector"), pod.labels())) {
                    continue;
                }
                for (JsonNode endpoint : monitor.path("spec").path("podMetricsEndpoints")) {
                    Integer port = pod.ports().get(endpoint.path("port").asText());
                    if (port != null) {
                        targets.add(new Target(pod, port));
                    }
                }
            }
        }
        return targets;
    }

    /** A Service's targetPort (a name or a number) on a pod, if the pod has that port. */
    private static Optional<Integer> resolve(JsonNode targetPort, Pod pod) {
        if (targetPort.isInt()) {
            return pod.ports().containsValue(targetPort.asInt()) ? Optional.of(targetPort.asInt()) : Optional.empty();
        }
        return Optional.ofNullable(pod.ports().get(targetPort.asText()));
    }

    /** Strimzi's broker pods of each node pool with the broker role, when the Kafka exposes metrics (port 9404). */
    static List<Pod> kafkaBrokers(List<ObjectNode> objects) {
        List<Pod> brokers = new ArrayList<>();
        for (JsonNode kafka : ofKind(objects, "Kafka")) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            kafka.path("spec").path("kafka").path("listeners").forEach(l -> ports.put(l.path("name").asText(),
                    l.path("port").asInt()));
            if (kafka.path("spec").path("kafka").has("metricsConfig")) {
                ports.put("tcp-prometheus", 9404);
            }
            for (JsonNode pool : ofKind(objects, "KafkaNodePool")) {
                if (!pool.path("metadata").path("labels").path("strimzi.io/cluster").asText().equals(name(kafka))
                        || !pool.path("spec").path("roles").toString().contains("broker")) {
                    continue;
                }
                ObjectNode labels = Kustomize.json().createObjectNode()
                        .put("strimzi.io/cluster", name(kafka))
                        .put("strimzi.io/kind", "Kafka")
                        .put("strimzi.io/name", name(kafka) + "-kafka")
                        .put("strimzi.io/pool-name", name(pool))
                        .put("strimzi.io/broker-role", "true");
                brokers.add(new Pod("KafkaNodePool/" + name(pool), labels, ports));
            }
        }
        return brokers;
    }

    /** CloudNativePG's instance pods of each Cluster: the exporter on 9187 ("metrics"). */
    static List<Pod> postgresInstances(List<ObjectNode> objects) {
        List<Pod> instances = new ArrayList<>();
        for (JsonNode cluster : ofKind(objects, "Cluster")) {
            ObjectNode labels = Kustomize.json().createObjectNode()
                    .put("cnpg.io/cluster", name(cluster))
                    .put("cnpg.io/podRole", "instance");
            instances.add(new Pod("Cluster/" + name(cluster), labels, Map.of("postgresql", 5432, "metrics", 9187)));
        }
        return instances;
    }

    /** One of our pods in PodNetwork's model (the address: any in the pods' range; no ipBlock here names one). */
    private static Endpoint ours(PodNetwork network, Pod pod) {
        Map<String, String> labels = new LinkedHashMap<>();
        pod.labels().fields().forEachRemaining(label -> labels.put(label.getKey(), label.getValue().asText()));
        return new Endpoint(pod.what(), network.namespace(), labels, "10.244.1.1", Set.of(), pod.ports());
    }

    /** Any pod of another namespace, with no particular labels. */
    private static Endpoint aPodOf(String namespace) {
        return new Endpoint("a pod of " + namespace, namespace, Map.of(), "10.244.2.1", Set.of(), Map.of());
    }

    static JsonNode podLabels(JsonNode deployment) {
        return deployment.path("spec").path("template").path("metadata").path("labels");
    }

    private static Map<String, Integer> containerPorts(JsonNode deployment) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (JsonNode container : deployment.path("spec").path("template").path("spec").path("containers")) {
            container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        }
        return ports;
    }

    /** The environment a Deployment's container gets from its ConfigMaps and env (later entries win). */
    private static Map<String, String> environment(List<ObjectNode> objects, JsonNode deployment) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
        for (JsonNode from : container.path("envFrom")) {
            String configMap = from.path("configMapRef").path("name").asText();
            ofKind(objects, "ConfigMap").stream().filter(c -> name(c).equals(configMap)).findFirst()
                    .ifPresent(c -> c.path("data").properties().forEach(e -> env.put(e.getKey(),
                            e.getValue().asText())));
        }
        container.path("env").forEach(e -> {
            if (e.has("value")) {
                env.put(e.path("name").asText(), e.path("value").asText());
            }
        });
        return env;
    }

    /** The knob: base/monitoring/namespace.yaml, which Kustomize reads and does not apply. */
    static String monitoringNamespace() throws Exception {
        JsonNode knob = Kustomize.YAML.readTree(Repo.K8S.resolve("base/monitoring/namespace.yaml").toFile());
        String value = knob.path("data").path("name").asText();
        assertThat(value).as("the monitoring namespace knob").matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        return value;
    }

    // --- alerts

    static Map<String, JsonNode> alerts(List<ObjectNode> objects) {
        List<ObjectNode> rules = ofKind(objects, "PrometheusRule");
        assertThat(rules).as("PrometheusRules rendered").hasSize(1);
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        for (JsonNode group : rules.get(0).path("spec").path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (rule.has("alert")) {
                    assertThat(alerts.put(rule.path("alert").asText(), rule)).as("alert %s twice",
                            rule.path("alert").asText()).isNull();
                }
            }
        }
        return alerts;
    }

    static Set<String> ourSeries(String expr) {
        Set<String> series = new LinkedHashSet<>();
        // Label values ("5.."), label names (`application`) and template text are not series: only identifiers.
        Matcher m = OUR_SERIES.matcher(expr.replaceAll("\"[^\"]*\"", "\"\""));
        while (m.find()) {
            series.add(m.group(1));
        }
        return series;
    }
}
