package com.acme.incentives.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyName;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks one rendered object against the schema of its kind.
 * <ul>
 * <li>Kubernetes kinds: fabric8's typed model (the Quarkus BOM's kubernetes-client-api).</li>
 * <li>Strimzi kinds: Strimzi's own typed model (io.strimzi:api), from which its CRDs are generated. One model serves
 * v1beta2 and v1; the fields v1 dropped are marked @Deprecated in it (with @PresentInVersions("v1beta2"), an
 * annotation whose class is not published), and every deprecated field is refused here, so an object of
 * kafka.strimzi.io/v1 holds only what v1 knows.</li>
 * <li>prometheus-operator kinds (ServiceMonitor, PodMonitor, PrometheusRule): fabric8's typed model of them
 * (openshift-model-monitoring, generated from the operator's CRDs).</li>
 * <li>KeycloakRealmImport: the realm parses into Keycloak's RealmRepresentation; the rest of its spec, and the
 * Keycloak and CloudNativePG Cluster kinds, are checked structurally by hand (below): no Java model or CRD of the
 * Keycloak operator or of CloudNativePG is published on Maven Central.</li>
 * </ul>
 * The typed models keep unknown fields in an "additionalProperties" map instead of failing. The mapper here turns
 * that off (no any-setter, no ignoreUnknown), so a misspelt or misplaced field fails with
 * FAIL_ON_UNKNOWN_PROPERTIES, which is what kubectl's server-side validation would say.
 */
final class Schemas {

    static final ObjectMapper STRICT = strictMapper();

    static final Map<String, Class<?>> TYPED = Map.ofEntries(
            Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
            Map.entry("v1/Secret", io.fabric8.kubernetes.api.model.Secret.class),
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler",
                    io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/Ingress", io.fabric8.kubernetes.api.model.networking.v1.Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy",
                    io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", io.strimzi.api.kafka.model.kafka.Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", io.strimzi.api.kafka.model.topic.KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", io.strimzi.api.kafka.model.user.KafkaUser.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor",
                    io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", io.fabric8.openshift.api.model.monitoring.v1.PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule",
                    io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule.class));

    private static final Pattern QUANTITY = Pattern.compile("\\d+(\\.\\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private Schemas() {
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
        mapper.registerModule(new SimpleModule().setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription description,
                    BeanDeserializerBuilder builder) {
                // Strimzi: a deprecated field is one its v1 API dropped (or is about to); without its setter the
                // field is unknown and fails like a misspelt one.
                if (description.getBeanClass().getName().startsWith("io.strimzi.")) {
                    List<String> deprecated = new ArrayList<>();
                    for (BeanPropertyDefinition property : description.findProperties()) {
                        for (AnnotatedMember member : new AnnotatedMember[] { property.getSetter(), property.getGetter(),
                                property.getField() }) {
                            if (member != null && member.hasAnnotation(Deprecated.class)) {
                                deprecated.add(property.getName());
                            }
                        }
                    }
                    deprecated.forEach(name -> builder.removeProperty(PropertyName.construct(name)));
                }
                return builder;
            }
        }));
        mapper.setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
            @Override
            public Boolean hasAnySetter(Annotated annotated) {
                return Boolean.FALSE;
            }

            @Override
            public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated annotated) {
                JsonIgnoreProperties.Value value = super.findPropertyIgnoralByName(config, annotated);
                return value == null ? null : value.withoutIgnoreUnknown();
            }
        });
        return mapper;
    }

    static String typeOf(JsonNode object) {
        return object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    }

    /** Throws (with the path of the offending field) unless the object is valid for its kind. */
    static void check(JsonNode object) throws Exception {
        String type = typeOf(object);
        Class<?> typed = TYPED.get(type);
        if (typed != null) {
            STRICT.treeToValue(object, typed);
            return;
        }
        switch (type) {
            case "postgresql.cnpg.io/v1/Cluster" -> checkCnpgCluster(object);
            case "postgresql.cnpg.io/v1/ScheduledBackup" -> checkCnpgScheduledBackup(object);
            case "k8s.keycloak.org/v2alpha1/Keycloak" -> checkKeycloak(object);
            case "k8s.keycloak.org/v2alpha1/KeycloakRealmImport" -> checkRealmImport(object);
            default -> throw new AssertionError(Kustomize.id(object) + ": no schema known for " + type
                    + " (add one to Schemas)");
        }
    }

    private static void checkMetadata(JsonNode object) {
        onlyFields(object, "", "apiVersion", "kind", "metadata", "spec");
        assertThat(Kustomize.name(object)).as("%s metadata.name", Kustomize.id(object)).matches(DNS_LABEL);
    }

    /** The fields used here of CloudNativePG's Cluster (postgresql.cnpg.io/v1), with their types. */
    private static void checkCnpgCluster(JsonNode cluster) {
        checkMetadata(cluster);
        String id = Kustomize.id(cluster);
        JsonNode spec = cluster.path("spec");
        onlyFields(spec, id + " spec", "instances", "imageName", "storage", "bootstrap", "postgresql", "resources",
                "primaryUpdateStrategy", "monitoring", "backup", "affinity", "description", "enableSuperuserAccess",
                "managed");
        assertThat(spec.path("instances").isInt() && spec.path("instances").asInt() >= 1)
                .as("%s spec.instances is an integer >= 1", id).isTrue();
        onlyFields(spec.path("storage"), id + " spec.storage", "size", "storageClass", "resizeInUseVolumes");
        assertThat(spec.path("storage").path("size").asText()).as("%s spec.storage.size", id).matches(QUANTITY);
        onlyFields(spec.path("bootstrap"), id + " spec.bootstrap", "initdb");
        onlyFields(spec.path("bootstrap").path("initdb"), id + " spec.bootstrap.initdb", "database", "owner", "secret",
                "postInitSQL", "postInitApplicationSQL", "postInitTemplateSQL");
        for (String sql : List.of("postInitSQL", "postInitApplicationSQL", "postInitTemplateSQL")) {
            JsonNode statements = spec.path("bootstrap").path("initdb").path(sql);
            if (!statements.isMissingNode()) {
                assertThat(statements.isArray()).as("%s initdb.%s is a list", id, sql).isTrue();
                statements.forEach(q -> assertThat(q.isTextual()).as("%s initdb.%s: statements", id, sql).isTrue());
            }
        }
        assertThat(spec.path("bootstrap").path("initdb").path("database").isTextual()).as("%s initdb.database", id)
                .isTrue();
        assertThat(spec.path("bootstrap").path("initdb").path("owner").isTextual()).as("%s initdb.owner", id).isTrue();
        if (spec.has("postgresql")) {
            onlyFields(spec.path("postgresql"), id + " spec.postgresql", "parameters", "pg_hba", "synchronous");
            JsonNode sync = spec.path("postgresql").path("synchronous");
            if (!sync.isMissingNode()) {
                // SynchronousReplicaConfiguration (1.24+; dataDurability 1.25+): method and number are required.
                onlyFields(sync, id + " spec.postgresql.synchronous", "method", "number", "maxStandbyNamesFromCluster",
                        "standbyNamesPre", "standbyNamesPost", "dataDurability");
                assertThat(sync.path("method").asText()).as("%s synchronous.method", id).isIn("any", "first");
                assertThat(sync.path("number").isInt() && sync.path("number").asInt() >= 1)
                        .as("%s synchronous.number is an integer >= 1", id).isTrue();
                if (sync.has("dataDurability")) {
                    assertThat(sync.path("dataDurability").asText()).as("%s synchronous.dataDurability", id)
                            .isIn("required", "preferred");
                }
            }
            spec.path("postgresql").path("parameters").forEach(v -> assertThat(v.isTextual())
                    .as("%s: PostgreSQL parameters are strings", id).isTrue());
        }
        if (spec.has("backup")) {
            checkCnpgBackup(spec.path("backup"), id);
        }
        if (spec.has("managed")) {
            checkCnpgManagedRoles(spec.path("managed"), id);
        }
        checkResources(spec.path("resources"), id);
    }

    /** Cluster.spec.managed.roles: CloudNativePG 1.28's RoleConfiguration, the fields used here and their types. */
    private static void checkCnpgManagedRoles(JsonNode managed, String id) {
        onlyFields(managed, id + " spec.managed", "roles", "services");
        assertThat(managed.path("roles").isArray()).as("%s spec.managed.roles is a list", id).isTrue();
        for (JsonNode role : managed.path("roles")) {
            String where = id + " spec.managed.roles[" + role.path("name").asText() + "]";
            onlyFields(role, where, "name", "ensure", "comment", "login", "superuser", "createdb", "createrole",
                    "inherit", "replication", "bypassrls", "connectionLimit", "validUntil", "inRoles",
                    "passwordSecret", "disablePassword");
            assertThat(role.path("name").asText()).as("%s name", where).matches("[a-z_][a-z0-9_]*");
            if (role.has("ensure")) {
                assertThat(role.path("ensure").asText()).as("%s ensure", where).isIn("present", "absent");
            }
            for (String flag : List.of("login", "superuser", "createdb", "createrole", "inherit", "replication",
                    "bypassrls", "disablePassword")) {
                if (role.has(flag)) {
                    assertThat(role.path(flag).isBoolean()).as("%s %s is a boolean", where, flag).isTrue();
                }
            }
            if (role.has("inRoles")) {
                assertThat(role.path("inRoles").isArray()).as("%s inRoles is a list", where).isTrue();
            }
            if (role.has("passwordSecret")) {
                // LocalObjectReference: the Secret's name only (type kubernetes.io/basic-auth, keys username, password).
                onlyFields(role.path("passwordSecret"), where + ".passwordSecret", "name");
                assertThat(role.path("passwordSecret").path("name").asText()).as("%s passwordSecret", where)
                        .matches(DNS_LABEL);
            }
        }
    }

    /**
     * Cluster.spec.backup (BackupConfiguration) with the in-tree Barman Cloud object store
     * (BarmanObjectStoreConfiguration, S3 credentials), as CloudNativePG 1.28 defines them.
     */
    private static void checkCnpgBackup(JsonNode backup, String id) {
        onlyFields(backup, id + " spec.backup", "barmanObjectStore", "retentionPolicy", "target", "volumeSnapshot");
        if (backup.has("retentionPolicy")) {
            // The operator's pattern: a number and d(ays), w(eeks) or m(onths).
            assertThat(backup.path("retentionPolicy").asText()).as("%s backup.retentionPolicy", id)
                    .matches("^[1-9][0-9]*[dwm]$");
        }
        if (backup.has("target")) {
            assertThat(backup.path("target").asText()).as("%s backup.target", id).isIn("primary", "prefer-standby");
        }
        JsonNode store = backup.path("barmanObjectStore");
        String where = id + " spec.backup.barmanObjectStore";
        onlyFields(store, where, "destinationPath", "endpointURL", "endpointCA", "serverName", "s3Credentials",
                "azureCredentials", "googleCredentials", "wal", "data", "tags", "historyTags");
        assertThat(store.path("destinationPath").asText()).as("%s destinationPath", where).matches("s3://[^/]+.*");
        onlyFields(store.path("s3Credentials"), where + ".s3Credentials", "accessKeyId", "secretAccessKey", "region",
                "sessionToken", "inheritFromIAMRole");
        for (String ref : List.of("accessKeyId", "secretAccessKey", "region", "sessionToken")) {
            if (store.path("s3Credentials").has(ref)) {
                onlyFields(store.path("s3Credentials").path(ref), where + ".s3Credentials." + ref, "name", "key");
            }
        }
        onlyFields(store.path("wal"), where + ".wal", "compression", "encryption", "maxParallel",
                "archiveAdditionalCommandArgs", "restoreAdditionalCommandArgs");
        onlyFields(store.path("data"), where + ".data", "compression", "encryption", "jobs", "immediateCheckpoint",
                "additionalCommandArgs");
        for (String part : List.of("wal", "data")) {
            if (store.path(part).has("compression")) {
                assertThat(store.path(part).path("compression").asText()).as("%s.%s.compression", where, part)
                        .isIn("bzip2", "gzip", "lz4", "snappy", "xz", "zstd");
            }
        }
    }

    /** CloudNativePG's ScheduledBackup (postgresql.cnpg.io/v1): a six-field cron (seconds first). */
    private static void checkCnpgScheduledBackup(JsonNode scheduled) {
        checkMetadata(scheduled);
        String id = Kustomize.id(scheduled);
        JsonNode spec = scheduled.path("spec");
        onlyFields(spec, id + " spec", "schedule", "cluster", "method", "backupOwnerReference", "immediate",
                "suspend", "target", "online", "onlineConfiguration", "pluginConfiguration");
        assertThat(spec.path("schedule").asText().trim().split("\\s+")).as("%s schedule has six fields", id)
                .hasSize(6);
        onlyFields(spec.path("cluster"), id + " spec.cluster", "name");
        assertThat(spec.path("cluster").path("name").asText()).as("%s cluster.name", id).matches(DNS_LABEL);
        if (spec.has("method")) {
            assertThat(spec.path("method").asText()).as("%s method", id)
                    .isIn("barmanObjectStore", "volumeSnapshot", "plugin");
        }
        if (spec.has("backupOwnerReference")) {
            assertThat(spec.path("backupOwnerReference").asText()).as("%s backupOwnerReference", id)
                    .isIn("none", "self", "cluster");
        }
    }

    /** The fields used here of the Keycloak operator's Keycloak (k8s.keycloak.org/v2alpha1). */
    private static void checkKeycloak(JsonNode keycloak) {
        checkMetadata(keycloak);
        String id = Kustomize.id(keycloak);
        JsonNode spec = keycloak.path("spec");
        onlyFields(spec, id + " spec", "instances", "image", "db", "http", "hostname", "proxy", "ingress", "resources",
                "features", "networkPolicy", "bootstrapAdmin", "additionalOptions");
        assertThat(spec.path("instances").isInt()).as("%s spec.instances", id).isTrue();
        JsonNode db = spec.path("db");
        onlyFields(db, id + " spec.db", "vendor", "host", "port", "database", "usernameSecret", "passwordSecret",
                "poolMinSize", "poolMaxSize");
        for (String ref : new String[] { "usernameSecret", "passwordSecret" }) {
            onlyFields(db.path(ref), id + " spec.db." + ref, "name", "key");
            assertThat(db.path(ref).path("name").isTextual() && db.path(ref).path("key").isTextual())
                    .as("%s spec.db.%s names a Secret and key", id, ref).isTrue();
        }
        onlyFields(spec.path("http"), id + " spec.http", "httpEnabled", "httpPort", "httpsPort", "tlsSecret");
        onlyFields(spec.path("hostname"), id + " spec.hostname", "hostname", "admin", "strict", "backchannelDynamic");
        assertThat(spec.path("hostname").path("hostname").asText()).as("%s spec.hostname.hostname", id)
                .matches("https?://[a-z0-9.-]+(:\\d+)?");
        onlyFields(spec.path("proxy"), id + " spec.proxy", "headers");
        assertThat(spec.path("proxy").path("headers").asText()).isIn("forwarded", "xforwarded");
        onlyFields(spec.path("ingress"), id + " spec.ingress", "enabled", "className", "annotations", "tlsSecret");
        checkResources(spec.path("resources"), id);
    }

    /** KeycloakRealmImport: the realm must be a RealmRepresentation of the Keycloak version we run. */
    private static void checkRealmImport(JsonNode realmImport) throws Exception {
        checkMetadata(realmImport);
        String id = Kustomize.id(realmImport);
        JsonNode spec = realmImport.path("spec");
        onlyFields(spec, id + " spec", "keycloakCRName", "realm", "placeholders");
        assertThat(spec.path("keycloakCRName").isTextual()).as("%s spec.keycloakCRName", id).isTrue();
        for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("placeholders").properties().iterator(); it.hasNext();) {
            Map.Entry<String, JsonNode> placeholder = it.next();
            onlyFields(placeholder.getValue(), id + " placeholder " + placeholder.getKey(), "secret");
            onlyFields(placeholder.getValue().path("secret"), id + " placeholder " + placeholder.getKey(), "name", "key");
        }
        STRICT.treeToValue(spec.path("realm"), org.keycloak.representations.idm.RealmRepresentation.class);
    }

    private static void checkResources(JsonNode resources, String id) {
        onlyFields(resources, id + " resources", "requests", "limits");
        for (String part : new String[] { "requests", "limits" }) {
            onlyFields(resources.path(part), id + " resources." + part, "cpu", "memory");
            resources.path(part).forEach(q -> assertThat(q.asText()).as("%s resources.%s", id, part).matches(QUANTITY));
        }
    }

    private static void onlyFields(JsonNode node, String where, String... allowed) {
        if (node.isMissingNode()) {
            return;
        }
        assertThat(node.isObject()).as("%s is an object", where).isTrue();
        Set<String> known = Set.of(allowed);
        node.fieldNames().forEachRemaining(field -> assertThat(known)
                .as("%s: unknown field '%s' (known: %s)", where, field, known).contains(field));
    }
}
