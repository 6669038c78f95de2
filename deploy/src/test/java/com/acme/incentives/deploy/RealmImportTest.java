package com.acme.incentives.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class RealmImportTest {

    @Test
    void theCommittedRealmImportIsGeneratedFromTheRealmFile() throws Exception {
        String expected = RealmImport.generate();
        if (System.getProperty("realm.regenerate") != null) {
            RealmImport.write();
        }
        assertThat(Files.readString(RealmImport.IMPORT_FILE))
                .as("%s is out of date with %s: regenerate it with "
                        + "./mvnw -B -pl deploy test -Dtest=RealmImportTest -Drealm.regenerate",
                        RealmImport.IMPORT_FILE, RealmImport.REALM_FILE)
                .isEqualTo(expected);
    }

    /**
     * Rotating a platform client's secret without downtime (README.md, "Rotating a client secret") relies on the
     * policy "platform-clients" matching each of them; identity-service's PlatformClientSecretRotationTest shows in a
     * real Keycloak that the attribute is what keeps the previous secret valid.
     */
    @Test
    void everyConfidentialClientKeepsItsPreviousSecretForADayAfterARotation() throws Exception {
        var realm = Kustomize.YAML.readTree(RealmImport.generate()).path("spec").path("realm");
        int confidential = 0;
        for (var client : realm.path("clients")) {
            if (!client.path("publicClient").asBoolean(false)) {
                confidential++;
                assertThat(client.path("attributes").path("incentives.platform-client").asText())
                        .as("client %s carries incentives.platform-client", client.path("clientId").asText())
                        .isEqualTo("true");
            }
        }
        assertThat(confidential).isGreaterThanOrEqualTo(5);
        var policy = Kustomize.YAML.createArrayNode();
        realm.path("clientPolicies").path("policies").forEach(p -> {
            if (p.path("name").asText().equals("platform-clients")) {
                policy.add(p);
            }
        });
        assertThat(policy).hasSize(1);
        assertThat(policy.get(0).path("enabled").asBoolean()).isTrue();
        assertThat(policy.get(0).path("conditions").get(0).path("configuration").path("attributes").asText())
                .contains("\"incentives.platform-client\"", "\"true\"");
        String profile = policy.get(0).path("profiles").get(0).asText();
        var executors = Kustomize.YAML.createArrayNode();
        realm.path("clientProfiles").path("profiles").forEach(p -> {
            if (p.path("name").asText().equals(profile)) {
                p.path("executors").forEach(executors::add);
            }
        });
        assertThat(executors).singleElement().satisfies(executor -> {
            assertThat(executor.path("executor").asText()).isEqualTo("secret-rotation");
            assertThat(executor.path("configuration").path("rotated-expiration-period").asInt())
                    .as("seconds the previous secret stays valid").isEqualTo(86400);
        });
    }

    @Test
    void theRealmImportCarriesNoSecretValue() throws Exception {
        String generated = RealmImport.generate();
        var realm = Kustomize.YAML.readTree(generated).path("spec").path("realm");
        for (var client : realm.path("clients")) {
            if (client.has("secret")) {
                assertThat(client.get("secret").asText()).as("secret of client %s", client.path("clientId").asText())
                        .matches("\\$\\{KC_CLIENT_SECRET_[A-Z_]+}");
            }
            assertThat(client.path("directAccessGrantsEnabled").asBoolean(false))
                    .as("password grant on client %s", client.path("clientId").asText()).isFalse();
        }
        for (var user : realm.path("users")) {
            assertThat(user.has("credentials")).as("credentials of user %s", user.path("username").asText()).isFalse();
        }
        assertThat(generated).doesNotContain("localhost", "Operator-Demo-1");
    }
}
