package com.acme.incentives.deploy;

import static com.acme.incentives.deploy.Kustomize.id;
import static com.acme.incentives.deploy.Kustomize.name;
import static com.acme.incentives.deploy.Kustomize.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "It must keep data" (issue 21): what the rendered overlays promise about the data of the platform.
 */
class DataManifestsTest {

    /** Databases whose committed writes must survive the loss of the primary (RPO 0): payouts and Keycloak. */
    static final Set<String> SYNCHRONOUS = Set.of("payout-db", "keycloak-db");

    /** Kinds whose pod template may carry volumes. */
    static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob");

    /**
     * The only emptyDir volumes allowed ("workload/volume" -> the one path it is mounted at), each with why losing
     * its content with the pod is fine. Anything else that must outlive a pod lives in PostgreSQL or Kafka.
     */
    static final Map<String, String> EMPTY_DIRS = Map.of(
            // The root file systems are read-only; the JVM and Vert.x write temporary files (uploads being read,
            // the Vert.x file cache) that no request needs after the pod is gone.
            "identity-service/tmp", "/tmp",
            "eligibility-service/tmp", "/tmp",
            "enrollment-service/tmp", "/tmp",
            "payout-service/tmp", "/tmp",
            "gateway/tmp", "/tmp",
            // The gateway's rate-limit counters (README.md, "Redis"): a restart only resets the current windows.
            "redis/data", "/data");

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void everyClusterArchivesWalAndHasADailyBaseBackupKeptForItsRetention(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        List<ObjectNode> clusters = ofKind(objects, "Cluster");
        assertThat(clusters).hasSize(5);
        for (JsonNode cluster : clusters) {
            String c = id(cluster);
            JsonNode backup = cluster.path("spec").path("backup");
            JsonNode store = backup.path("barmanObjectStore");
            // An object store is what turns on continuous WAL archiving (archive_command) in CloudNativePG.
            assertThat(store.path("destinationPath").asText()).as("%s destinationPath", c).startsWith("s3://");
            assertThat(store.path("serverName").isMissingNode())
                    .as("%s archives under its own name (serverName unset)", c).isTrue();
            assertThat(store.path("s3Credentials").path("accessKeyId").path("name").asText())
                    .as("%s credentials", c).isEqualTo("postgres-backup-s3");
            assertThat(store.path("wal").path("compression").asText()).as("%s WAL compression", c).isNotEmpty();
            assertThat(backup.path("retentionPolicy").asText()).as("%s retentionPolicy", c)
                    .isEqualTo(overlay.equals("production") ? "30d" : "7d");
            List<JsonNode> daily = ofKind(objects, "ScheduledBackup").stream()
                    .filter(b -> b.path("spec").path("cluster").path("name").asText().equals(name(cluster)))
                    .map(JsonNode.class::cast).toList();
            assertThat(daily).as("ScheduledBackups of %s", c).hasSize(1);
            JsonNode spec = daily.get(0).path("spec");
            // Seconds, minutes, hours fixed; day of month, month and day of week any: once a day.
            String[] cron = spec.path("schedule").asText().trim().split("\\s+");
            assertThat(cron).as("%s schedule", c).hasSize(6);
            assertThat(List.of(cron[0], cron[1], cron[2])).as("%s schedule: a fixed time", c)
                    .allMatch(f -> f.matches("\\d+"));
            assertThat(List.of(cron[3], cron[4], cron[5])).as("%s schedule: every day", c).containsOnly("*");
            assertThat(spec.path("method").asText()).as("%s method", c).isEqualTo("barmanObjectStore");
            assertThat(spec.path("suspend").asBoolean(false)).as("%s suspended", c).isFalse();
        }
        assertThat(ofKind(objects, "ScheduledBackup")).hasSameSizeAs(clusters);
    }

    @Test
    void productionBacksUpToItsBucketOverHttpsAndDevToTheInNamespaceStore() {
        for (JsonNode cluster : ofKind(Kustomize.render("production"), "Cluster")) {
            JsonNode store = cluster.path("spec").path("backup").path("barmanObjectStore");
            assertThat(store.path("destinationPath").asText()).as("%s bucket", id(cluster))
                    .isEqualTo("s3://acme-incentives-postgres-backups/production");
            assertThat(store.path("endpointURL").asText("https://")).as("%s endpoint", id(cluster))
                    .startsWith("https://");
        }
        for (JsonNode cluster : ofKind(Kustomize.render("dev"), "Cluster")) {
            JsonNode store = cluster.path("spec").path("backup").path("barmanObjectStore");
            assertThat(store.path("endpointURL").asText()).as("%s endpoint", id(cluster))
                    .isEqualTo("http://minio:9000");
        }
    }

    @Test
    void payoutAndKeycloakCommitSynchronouslyToOneOfTwoReplicasInProduction() {
        List<ObjectNode> clusters = ofKind(Kustomize.render("production"), "Cluster");
        assertThat(clusters).extracting(Kustomize::name).containsAll(SYNCHRONOUS);
        for (JsonNode cluster : clusters) {
            JsonNode sync = cluster.path("spec").path("postgresql").path("synchronous");
            if (!SYNCHRONOUS.contains(name(cluster))) {
                assertThat(sync.isMissingNode()).as("%s is asynchronous", id(cluster)).isTrue();
                continue;
            }
            // ANY 1 of the replicas: a commit is on two instances; with 3 instances one replica can be lost and
            // the other still acknowledges, so writes go on. number must stay below the replicas' count.
            int instances = cluster.path("spec").path("instances").asInt();
            assertThat(sync.path("method").asText()).as("%s synchronous.method", id(cluster)).isEqualTo("any");
            assertThat(sync.path("number").asInt()).as("%s synchronous.number", id(cluster)).isEqualTo(1);
            assertThat(instances - 1).as("%s: replicas beyond the synchronous number, so losing one does not stop "
                    + "writes", id(cluster)).isGreaterThan(sync.path("number").asInt());
            assertThat(sync.path("dataDurability").asText("required")).as("%s dataDurability", id(cluster))
                    .isEqualTo("required");
        }
    }

    @Test
    void devWithOneInstanceIsAsynchronous() {
        // A single instance cannot have a synchronous standby; required durability would block every write.
        for (JsonNode cluster : ofKind(Kustomize.render("dev"), "Cluster")) {
            assertThat(cluster.path("spec").path("instances").asInt()).as("%s instances", id(cluster)).isEqualTo(1);
            assertThat(cluster.path("spec").path("postgresql").path("synchronous").isMissingNode())
                    .as("%s has no synchronous replication", id(cluster)).isTrue();
        }
    }

    /**
     * Connections PostgreSQL keeps apart from the applications': superuser_reserved_connections (3, PostgreSQL's
     * default) for CloudNativePG's instance manager and exporter, plus headroom for a backup and an operator's psql.
     */
    static final int RESERVED_CONNECTIONS = 3 + 7;

    /**
     * The PostgreSQL Cluster a service's Deployment connects to, from the JDBC URL in its ConfigMap
     * ({@code jdbc:postgresql://<cluster>-rw:5432/<db>}: CloudNativePG's read-write Service); null without a database.
     */
    static String databaseCluster(List<ObjectNode> objects, String service) {
        return ofKind(objects, "ConfigMap").stream().filter(c -> name(c).startsWith(service + "-config-"))
                .map(c -> c.path("data").path("QUARKUS_DATASOURCE_JDBC_URL").asText()).filter(u -> !u.isEmpty())
                .map(url -> url.replaceFirst("^jdbc:postgresql://([a-z0-9-]+)-rw[:/].*$", "$1"))
                .findFirst().orElse(null);
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void everyPoolAtMaximumScaleFitsItsDatabasesMaxConnections(String overlay) throws Exception {
        List<ObjectNode> objects = Kustomize.render(overlay);
        Properties defaults = properties("platform/src/main/resources/META-INF/microprofile-config.properties");
        Map<String, Integer> demand = new java.util.TreeMap<>();
        Map<String, String> why = new java.util.TreeMap<>();
        for (JsonNode deployment : ofKind(objects, "Deployment")) {
            String service = name(deployment);
            String cluster = databaseCluster(objects, service);
            if (cluster == null) {
                continue;
            }
            Properties own = properties(service + "/src/main/resources/application.properties");
            int pool = Integer.parseInt(own.getProperty("quarkus.datasource.jdbc.max-size",
                    defaults.getProperty("quarkus.datasource.jdbc.max-size")));
            JsonNode hpa = ofKind(objects, "HorizontalPodAutoscaler").stream()
                    .filter(h -> h.path("spec").path("scaleTargetRef").path("name").asText().equals(service))
                    .findFirst().orElseThrow();
            // A rolling update adds maxSurge pods beside the HPA's maximum, each with its full pool.
            int pods = hpa.path("spec").path("maxReplicas").asInt()
                    + deployment.path("spec").path("strategy").path("rollingUpdate").path("maxSurge").asInt(0);
            demand.merge(cluster, pods * pool, Integer::sum);
            why.merge(cluster, service + " " + pods + " pods x " + pool, (a, b) -> a + ", " + b);
        }
        for (JsonNode keycloak : ofKind(objects, "Keycloak")) {
            String cluster = keycloak.path("spec").path("db").path("host").asText().replaceFirst("-rw$", "");
            // Keycloak's own default pool is 100 connections per instance: the CR must set it.
            int pool = keycloak.path("spec").path("db").path("poolMaxSize").asInt(100);
            int pods = keycloak.path("spec").path("instances").asInt();
            demand.merge(cluster, pods * pool, Integer::sum);
            why.merge(cluster, "keycloak " + pods + " pods x " + pool, (a, b) -> a + ", " + b);
        }
        assertThat(demand.keySet()).as("databases the pools use").containsExactlyInAnyOrder("identity-db",
                "eligibility-db", "enrollment-db", "payout-db", "keycloak-db");
        for (JsonNode cluster : ofKind(objects, "Cluster")) {
            int max = Integer.parseInt(cluster.path("spec").path("postgresql").path("parameters")
                    .path("max_connections").asText("100"));
            assertThat(demand.get(name(cluster)) + RESERVED_CONNECTIONS)
                    .as("%s: %s, + %d reserved, within max_connections %d", id(cluster), why.get(name(cluster)),
                            RESERVED_CONNECTIONS, max)
                    .isLessThanOrEqualTo(max);
        }
    }

    private static Properties properties(String path) throws Exception {
        Properties p = new Properties();
        try (var in = java.nio.file.Files.newInputStream(Repo.ROOT.resolve(path))) {
            p.load(in);
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void noDataOnAnEmptyDirOrTheNode(String overlay) {
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (ObjectNode object : Kustomize.render(overlay)) {
            if (!WORKLOADS.contains(object.path("kind").asText())) {
                continue;
            }
            JsonNode pod = object.path("kind").asText().equals("CronJob")
                    ? object.path("spec").path("jobTemplate").path("spec").path("template").path("spec")
                    : object.path("spec").path("template").path("spec");
            for (JsonNode volume : pod.path("volumes")) {
                String key = name(object) + "/" + volume.path("name").asText();
                if (volume.has("hostPath")) {
                    problems.add(key + " is a hostPath (data bound to one node)");
                }
                if (!volume.has("emptyDir")) {
                    continue;
                }
                String allowedPath = EMPTY_DIRS.get(key);
                if (allowedPath == null) {
                    problems.add(key + " is an emptyDir: its data goes with the pod");
                    continue;
                }
                seen.add(key);
                List<String> mounts = new ArrayList<>();
                for (String containers : List.of("initContainers", "containers")) {
                    for (JsonNode c : pod.path(containers)) {
                        for (JsonNode m : c.path("volumeMounts")) {
                            if (m.path("name").asText().equals(volume.path("name").asText())) {
                                mounts.add(m.path("mountPath").asText());
                            }
                        }
                    }
                }
                if (!mounts.stream().allMatch(allowedPath::equals) || mounts.isEmpty()) {
                    problems.add(key + " is mounted at " + mounts + ", allowed only at " + allowedPath);
                }
                if (volume.path("emptyDir").path("sizeLimit").asText().isEmpty()) {
                    problems.add(key + " has no sizeLimit (it would fill the node's disk)");
                }
            }
        }
        assertThat(problems).as("volumes of %s", overlay).isEmpty();
        // The list names no volume that is gone: it stays the list of what really exists.
        assertThat(seen).as("emptyDirs of %s", overlay).containsExactlyInAnyOrderElementsOf(EMPTY_DIRS.keySet());
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void payoutKeepsBankFilesInItsDatabaseAndSendsThemOverHttps(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        JsonNode payout = ofKind(objects, "Deployment").stream().filter(d -> name(d).equals("payout-service"))
                .findFirst().orElseThrow();
        // Its only volumes are /tmp and the Kafka cluster CA (a read-only Secret): no bank channel directory, no
        // file drop to lose on a reschedule.
        assertThat(payout.path("spec").path("template").path("spec").path("volumes").findValuesAsText("name"))
                .as("payout-service volumes").containsExactly("tmp", "kafka-cluster-ca");
        String bankUrl = ofKind(objects, "ConfigMap").stream()
                .map(c -> c.path("data").path("PAYOUT_BANK_URL").asText())
                .filter(s -> !s.isEmpty()).findFirst().orElseThrow();
        assertThat(bankUrl).as("PAYOUT_BANK_URL of %s", overlay).startsWith("https://");
    }
}
