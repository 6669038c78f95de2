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
