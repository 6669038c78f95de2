package com.acme.incentives.deploy;

import static com.acme.incentives.deploy.Kustomize.id;
import static com.acme.incentives.deploy.Kustomize.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * deploy/k8s/versions.env names the operators' versions once: install-operators.sh installs exactly those, the
 * manifests use the APIs and the Kafka and PostgreSQL those versions run, the Strimzi model the manifests are checked
 * with is of the same release, and the local setup runs the same Kafka and Keycloak.
 */
class OperatorVersionsTest {

    static final Path VERSIONS = Repo.K8S.resolve("versions.env");
    static final Path SCRIPT = Repo.K8S.resolve("install-operators.sh");

    static Map<String, String> versions() throws IOException {
        Map<String, String> versions = new LinkedHashMap<>();
        for (String line : Files.readAllLines(VERSIONS)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] kv = line.split("=", 2);
                versions.put(kv[0].strip(), kv[1].strip());
            }
        }
        return versions;
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void theManifestsUseTheApisAndVersionsOfTheInstalledOperators(String overlay) throws IOException {
        Map<String, String> v = versions();
        List<ObjectNode> objects = Kustomize.render(overlay);
        List<ObjectNode> strimzi = objects.stream()
                .filter(o -> o.path("apiVersion").asText().startsWith("kafka.strimzi.io/")).toList();
        assertThat(strimzi).hasSizeGreaterThan(3);
        for (JsonNode o : strimzi) {
            assertThat(o.path("apiVersion").asText()).as("apiVersion of %s", id(o)).isEqualTo(v.get("STRIMZI_API"));
        }
        JsonNode kafka = ofKind(objects, "Kafka").get(0).path("spec").path("kafka");
        assertThat(kafka.path("version").asText()).isEqualTo(v.get("KAFKA_VERSION"));
        assertThat(kafka.path("metadataVersion").asText()).isEqualTo(v.get("KAFKA_METADATA_VERSION"));
        for (JsonNode cluster : ofKind(objects, "Cluster")) {
            assertThat(cluster.path("spec").path("imageName").asText()).as("image of %s", id(cluster))
                    .isEqualTo(v.get("POSTGRES_IMAGE"));
        }
        // No image of our choosing: the operator runs the Keycloak of its own version (KEYCLOAK_VERSION).
        for (JsonNode keycloak : ofKind(objects, "Keycloak")) {
            assertThat(keycloak.path("spec").has("image")).as("%s names an image", id(keycloak)).isFalse();
        }
    }

    @Test
    void theSchemaModelAndTheLocalSetupRunTheSameVersions() throws IOException {
        Map<String, String> v = versions();
        assertThat(property(Repo.ROOT.resolve("deploy/pom.xml"), "strimzi.api.version"))
                .as("the Strimzi model the manifests are checked with").isEqualTo(v.get("STRIMZI_VERSION"));
        Path tools = Repo.ROOT.resolve("deploy/local/tools/pom.xml");
        assertThat(property(tools, "kafka.version")).as("local Kafka").isEqualTo(v.get("KAFKA_VERSION"));
        assertThat(property(tools, "keycloak.version")).as("local Keycloak").isEqualTo(v.get("KEYCLOAK_VERSION"));
        assertThat(Files.readString(Repo.ROOT.resolve("deploy/local/lib.sh")))
                .contains("KEYCLOAK_VERSION=" + v.get("KEYCLOAK_VERSION") + "\n");
        // KAFKA_METADATA_VERSION belongs to KAFKA_VERSION's line (4.1.1 -> 4.1-IVn).
        String[] kafka = v.get("KAFKA_VERSION").split("\\.");
        assertThat(v.get("KAFKA_METADATA_VERSION")).startsWith(kafka[0] + "." + kafka[1] + "-IV");
        // PostgreSQL's major: the one the local setup runs (Debian 12's package; deploy/local/postgres.sh).
        assertThat(v.get("POSTGRES_IMAGE")).matches(".*:15\\.\\d+-.*");
        assertThat(Files.readString(Repo.ROOT.resolve("deploy/local/postgres.sh"))).contains("(15 on bookworm)");
    }

    @Test
    void theScriptInstallsExactlyTheseVersions() throws IOException {
        Map<String, String> v = versions();
        String script = Files.readString(SCRIPT);
        assertThat(Files.isExecutable(SCRIPT)).isTrue();
        assertThat(script).contains("source \"$HERE/versions.env\"").doesNotContainIgnoringCase("latest");
        Matcher urls = Pattern.compile("https://[^\\s\"]+").matcher(script);
        int count = 0;
        while (urls.find()) {
            String url = urls.group();
            count++;
            // Every release URL names its version through versions.env, never by a number of its own.
            assertThat(url).as("URL %s", url).containsPattern("\\$\\{?[A-Z_]+_VERSION");
            assertThat(url.replaceAll("\\$\\{[^}]+}", "")).as("URL %s", url).doesNotContainPattern("\\d+\\.\\d+");
        }
        assertThat(count).isGreaterThanOrEqualTo(4);
        for (String operator : List.of("CNPG_VERSION", "STRIMZI_VERSION", "KEYCLOAK_VERSION",
                "PROMETHEUS_OPERATOR_VERSION")) {
            assertThat(v).containsKey(operator);
            assertThat(script).contains("${" + operator);
        }
        // The paths NetworkPolicyModelTest assumes: Strimzi makes no policies, watches the platform's namespace.
        assertThat(script).contains("STRIMZI_NETWORK_POLICY_GENERATION=false").contains("STRIMZI_NAMESPACE=\"$NS\"");
        assertThat(script).contains("apply --server-side");
    }

    private static String property(Path pom, String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(pom));
        assertThat(m.find()).as("%s in %s", name, pom).isTrue();
        return m.group(1).strip();
    }
}
