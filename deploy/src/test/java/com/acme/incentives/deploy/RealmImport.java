package com.acme.incentives.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Makes the KeycloakRealmImport of deploy/k8s from the local realm file deploy/keycloak/incentives-realm.json, so
 * there is one realm definition. What the local file has that a cluster must not get:
 * <ul>
 * <li>client secrets: each becomes a placeholder {@code ${KC_CLIENT_SECRET_<CLIENT>}} that the Keycloak operator
 * fills from a Secret ({@code spec.placeholders}); the services read the same Secrets, so both sides agree;</li>
 * <li>users with a password (the demo operator): people are created by identity-service or an administrator;</li>
 * <li>the clients {@code incentives-cli} and {@code expiring-token-probe} (password grant, for local tests and
 * scripts only);</li>
 * <li>localhost redirect URIs and web origins of the gateway: the public host, which the overlays set.</li>
 * </ul>
 * Regenerate after changing the realm file: {@code ./mvnw -B -pl deploy test -Dtest=RealmImportTest -Drealm.regenerate}.
 */
final class RealmImport {

    static final Path REALM_FILE = Repo.ROOT.resolve("deploy/keycloak/incentives-realm.json");
    static final Path IMPORT_FILE = Repo.K8S.resolve("base/keycloak/realm-import.yaml");
    /** Clients of the realm file left out of every cluster. */
    static final java.util.Set<String> LOCAL_ONLY_CLIENTS = java.util.Set.of("incentives-cli", "expiring-token-probe");
    /** Placeholder in the gateway's redirect URIs and web origins; each overlay replaces it with its host. */
    static final String BASE_PUBLIC_URL = "https://incentives.example.com";

    /** Client id -> Secret name and key holding its secret in the cluster. */
    static final Map<String, String[]> CLIENT_SECRETS = new LinkedHashMap<>();

    static {
        // Shared with the gateway and identity-service Deployments (their secretKeyRefs name the same keys).
        CLIENT_SECRETS.put("gateway", new String[] { "gateway-secrets", "oidc-client-secret" });
        CLIENT_SECRETS.put("identity-service", new String[] { "identity-keycloak-client", "client-secret" });
        // Used outside the cluster only (the billing system, the partner feed and the bank connector sign in with them).
        CLIENT_SECRETS.put("incentives-api", new String[] { "keycloak-client-secrets", "incentives-api" });
        CLIENT_SECRETS.put("partner-feed", new String[] { "keycloak-client-secrets", "partner-feed" });
        CLIENT_SECRETS.put("billing-system", new String[] { "keycloak-client-secrets", "billing-system" });
        CLIENT_SECRETS.put("bank-connector", new String[] { "keycloak-client-secrets", "bank-connector" });
    }

    private RealmImport() {
    }

    static String placeholderOf(String clientId) {
        return "KC_CLIENT_SECRET_" + clientId.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * A cluster's one instance of the platform (docs/conventions.md, "Instances"): INCENTIVES_INSTANCE in the base's
     * ConfigMaps (DeploymentManifestsTest checks they agree), so the realm is incentives-main.
     */
    static final String CLUSTER_INSTANCE = "main";

    static String generate() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode realm = (ObjectNode) json.readTree(REALM_FILE.toFile());
        realm.put("realm", "incentives-" + CLUSTER_INSTANCE);

        ArrayNode clients = (ArrayNode) realm.get("clients");
        for (Iterator<JsonNode> it = clients.iterator(); it.hasNext();) {
            ObjectNode client = (ObjectNode) it.next();
            String clientId = client.path("clientId").asText();
            if (LOCAL_ONLY_CLIENTS.contains(clientId)) {
                it.remove();
                continue;
            }
            if (client.has("secret")) {
                if (!CLIENT_SECRETS.containsKey(clientId)) {
                    throw new IllegalStateException("client " + clientId + " has a secret in " + REALM_FILE
                            + ": add it to RealmImport.CLIENT_SECRETS (and its Secret to deploy/k8s/README.md)");
                }
                client.put("secret", "${" + placeholderOf(clientId) + "}");
            }
            if (clientId.equals("gateway")) {
                for (String field : new String[] { "rootUrl", "baseUrl", "adminUrl" }) {
                    if (client.has(field)) {
                        client.put(field, BASE_PUBLIC_URL);
                    }
                }
                client.set("redirectUris", json.createArrayNode().add(BASE_PUBLIC_URL + "/*"));
                client.set("webOrigins", json.createArrayNode().add(BASE_PUBLIC_URL));
                if (client.has("attributes") && client.get("attributes").has("post.logout.redirect.uris")) {
                    ((ObjectNode) client.get("attributes")).put("post.logout.redirect.uris", BASE_PUBLIC_URL + "/*");
                }
            }
        }
        ArrayNode users = (ArrayNode) realm.get("users");
        for (Iterator<JsonNode> it = users.iterator(); it.hasNext();) {
            if (it.next().has("credentials")) {
                it.remove();
            }
        }

        ObjectNode placeholders = json.createObjectNode();
        for (JsonNode client : clients) {
            String clientId = client.path("clientId").asText();
            if (client.has("secret")) {
                String[] ref = CLIENT_SECRETS.get(clientId);
                ObjectNode secret = placeholders.putObject(placeholderOf(clientId)).putObject("secret");
                secret.put("name", ref[0]);
                secret.put("key", ref[1]);
            }
        }

        ObjectNode cr = json.createObjectNode();
        cr.put("apiVersion", "k8s.keycloak.org/v2alpha1");
        cr.put("kind", "KeycloakRealmImport");
        cr.putObject("metadata").put("name", "incentives-realm");
        ObjectNode spec = cr.putObject("spec");
        spec.put("keycloakCRName", "keycloak");
        spec.set("placeholders", placeholders);
        spec.set("realm", realm);

        YAMLMapper yaml = YAMLMapper.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .build();
        return """
                # GENERATED from deploy/keycloak/incentives-realm.json by RealmImport (deploy module's tests): do not edit.
                # Regenerate: ./mvnw -B -pl deploy test -Dtest=RealmImportTest -Drealm.regenerate
                # Client secrets are placeholders filled by the Keycloak operator from Secrets; no user with a password,
                # no test-only clients (incentives-cli, expiring-token-probe); the gateway's public URL is set by each overlay.
                """ + yaml.writeValueAsString(cr);
    }

    static void write() throws IOException {
        Files.writeString(IMPORT_FILE, generate());
    }
}
