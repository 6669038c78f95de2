package com.acme.incentives.deploy;

import static com.acme.incentives.deploy.Kustomize.id;
import static com.acme.incentives.deploy.Kustomize.name;
import static com.acme.incentives.deploy.Kustomize.ofKind;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * "Rotation without downtime ... database passwords" (issue 21; README.md, "Rotating database passwords"): every
 * database has two login roles that act as its owner, and every client signs in as one of them, so one password can
 * change while the clients still use the other. DatabaseLoginRolesTest runs the same SQL on a real PostgreSQL.
 */
class DatabaseLoginsManifestsTest {

    static final List<String> COLOURS = List.of("blue", "green");

    /** The owner of a Cluster's database (initdb.owner). */
    static String owner(JsonNode cluster) {
        return cluster.path("spec").path("bootstrap").path("initdb").path("owner").asText();
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void everyClusterHasTwoLoginRolesActingAsItsOwner(String overlay) {
        List<ObjectNode> clusters = ofKind(Kustomize.render(overlay), "Cluster");
        assertThat(clusters).hasSize(5);
        for (JsonNode cluster : clusters) {
            String c = id(cluster);
            String owner = owner(cluster);
            JsonNode roles = cluster.path("spec").path("managed").path("roles");
            assertThat(StreamSupport.stream(roles.spliterator(), false).map(r -> r.path("name").asText()))
                    .as("%s managed roles", c).containsExactly(owner + "_blue", owner + "_green");
            List<String> sql = new ArrayList<>();
            cluster.path("spec").path("bootstrap").path("initdb").path("postInitApplicationSQL")
                    .forEach(q -> sql.add(q.asText()));
            for (int i = 0; i < COLOURS.size(); i++) {
                String colour = COLOURS.get(i);
                String login = owner + "_" + colour;
                JsonNode role = roles.get(i);
                assertThat(role.path("ensure").asText("present")).as("%s %s ensure", c, login).isEqualTo("present");
                assertThat(role.path("login").asBoolean()).as("%s %s can log in", c, login).isTrue();
                // Inheriting the owner's rights is what lets it read and write the owner's tables at all.
                assertThat(role.path("inherit").asBoolean(true)).as("%s %s inherits", c, login).isTrue();
                assertThat(role.path("superuser").asBoolean(false) || role.path("createrole").asBoolean(false)
                        || role.path("createdb").asBoolean(false) || role.path("bypassrls").asBoolean(false))
                        .as("%s %s has no more than the owner's rights", c, login).isFalse();
                assertThat(StreamSupport.stream(role.path("inRoles").spliterator(), false).map(JsonNode::asText))
                        .as("%s %s is a member of the owner only", c, login).containsExactly(owner);
                assertThat(role.path("passwordSecret").path("name").asText()).as("%s %s password", c, login)
                        .isEqualTo(name(cluster) + "-login-" + colour);
                assertThat(sql).as("%s postInitApplicationSQL", c).contains(
                        "CREATE ROLE " + login + " LOGIN IN ROLE " + owner,
                        "ALTER ROLE " + login + " SET role = '" + owner + "'");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "dev", "production" })
    void everyDatabaseClientSignsInAsOneLoginRoleOfItsDatabase(String overlay) {
        List<ObjectNode> objects = Kustomize.render(overlay);
        int clients = 0;
        for (JsonNode deployment : ofKind(objects, "Deployment")) {
            String service = name(deployment);
            String cluster = DataManifestsTest.databaseCluster(objects, service);
            if (cluster == null) {
                continue;
            }
            JsonNode user = env(deployment, "QUARKUS_DATASOURCE_USERNAME");
            JsonNode password = env(deployment, "QUARKUS_DATASOURCE_PASSWORD");
            checkLogin(service, cluster, user, password);
            clients++;
        }
        for (JsonNode keycloak : ofKind(objects, "Keycloak")) {
            JsonNode db = keycloak.path("spec").path("db");
            String cluster = db.path("host").asText().replaceFirst("-rw$", "");
            checkLogin("keycloak", cluster, db.path("usernameSecret"), db.path("passwordSecret"));
            clients++;
        }
        assertThat(clients).as("database clients").isEqualTo(5);
    }

    private static JsonNode env(JsonNode deployment, String variable) {
        for (JsonNode container : deployment.path("spec").path("template").path("spec").path("containers")) {
            for (JsonNode env : container.path("env")) {
                if (env.path("name").asText().equals(variable)) {
                    return env.path("valueFrom").path("secretKeyRef");
                }
            }
        }
        throw new AssertionError(name(deployment) + " sets no " + variable);
    }

    /** User name and password come from the same login Secret of the database's Cluster, never the owner's. */
    private static void checkLogin(String client, String cluster, JsonNode user, JsonNode password) {
        Set<String> logins = Set.of(cluster + "-login-blue", cluster + "-login-green");
        assertThat(user.path("name").asText()).as("%s: the Secret of its database user", client).isIn(logins);
        assertThat(password.path("name").asText()).as("%s: user and password from one Secret", client)
                .isEqualTo(user.path("name").asText());
        assertThat(user.path("key").asText()).as("%s user key", client).isEqualTo("username");
        assertThat(password.path("key").asText()).as("%s password key", client).isEqualTo("password");
    }
}
