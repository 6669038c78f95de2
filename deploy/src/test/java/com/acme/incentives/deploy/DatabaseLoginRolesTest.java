package com.acme.incentives.deploy;

import static com.acme.incentives.deploy.Kustomize.name;
import static com.acme.incentives.deploy.Kustomize.ofKind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The login roles' SQL of a Cluster (postgres/clusters.yaml, postInitApplicationSQL), run on the local PostgreSQL
 * (the major the cluster runs: versions.env) under a scratch name, and the password rotation of README.md
 * ("Rotating database passwords") done on it: whatever one login creates belongs to the owner and the other login
 * can change it; changing the idle login's password leaves the one in use, and its open sessions, untouched.
 * CloudNativePG's part (setting each role's password from its Secret) is done here as it does it: ALTER ROLE.
 * Needs the local PostgreSQL (deploy/local/postgres.sh start; the test command starts it).
 */
class DatabaseLoginRolesTest {

    private static final String URL = "jdbc:postgresql://127.0.0.1:" + System.getProperty("pg.port", "5432") + "/";

    @Test
    void eitherLoginActsAsTheOwnerAndTheIdleOnesPasswordChangesWithoutTouchingTheOther() throws Exception {
        JsonNode cluster = ofKind(Kustomize.render("production"), "Cluster").stream()
                .filter(c -> name(c).equals("payout-db")).findFirst().orElseThrow();
        String owner = DatabaseLoginsManifestsTest.owner(cluster);
        String scratch = "logintest" + ThreadLocalRandom.current().nextInt(1_000_000);
        List<String> statements = new ArrayList<>();
        cluster.path("spec").path("bootstrap").path("initdb").path("postInitApplicationSQL").forEach(q -> statements
                .add(q.asText().replaceAll("\\b" + owner + "(_blue|_green)?\\b", scratch + "$1") + ";"));
        assertThat(statements).hasSize(4);
        // CloudNativePG's bootstrap: the owner (a login role of its own, password in <cluster>-app) and its database.
        admin("postgres", "CREATE ROLE " + scratch + " LOGIN PASSWORD 'owner-secret';",
                "CREATE DATABASE " + scratch + " OWNER " + scratch + ";");
        try {
            admin(scratch, statements.toArray(String[]::new));
            // The managed roles: each login's password from its Secret.
            admin("postgres", "ALTER ROLE " + scratch + "_blue PASSWORD 'blue-1';",
                    "ALTER ROLE " + scratch + "_green PASSWORD 'green-1';");

            try (Connection blue = login(scratch, "blue", "blue-1")) {
                assertThat(query(blue, "SELECT current_user")).isEqualTo(scratch);
                // A migration run as blue: the table is the owner's.
                execute(blue, "CREATE TABLE payment (id int PRIMARY KEY, amount numeric NOT NULL)",
                        "INSERT INTO payment VALUES (1, 10)");
                assertThat(query(blue, "SELECT tableowner FROM pg_tables WHERE tablename = 'payment'"))
                        .isEqualTo(scratch);
                try (Connection green = login(scratch, "green", "green-1")) {
                    // The next release's migration, run as green, changes what blue created.
                    execute(green, "ALTER TABLE payment ADD COLUMN note text", "CREATE INDEX ON payment (amount)",
                            "UPDATE payment SET note = 'green' WHERE id = 1");
                    // RESET ROLE goes back to the session's default, the owner, not to the login itself.
                    execute(green, "RESET ROLE");
                    assertThat(query(green, "SELECT current_user")).isEqualTo(scratch);
                }

                // The rotation: a new password for the idle login (green) while blue is in use. Only green's stored
                // password changes.
                String blueBefore = verifier(scratch + "_blue");
                String greenBefore = verifier(scratch + "_green");
                admin("postgres", "ALTER ROLE " + scratch + "_green PASSWORD 'green-2';");
                assertThat(verifier(scratch + "_blue")).as("blue's password").isEqualTo(blueBefore);
                assertThat(verifier(scratch + "_green")).as("green's password").isNotEqualTo(greenBefore);
                if (asksForPasswords(scratch)) {
                    assertThatThrownBy(() -> login(scratch, "green", "green-1")).isInstanceOf(SQLException.class)
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28P01"));
                }
                try (Connection fresh = login(scratch, "blue", "blue-1");
                        Connection green = login(scratch, "green", "green-2")) {
                    // Blue still logs in (pods not yet moved), blue's open session goes on, green has the new one.
                    assertThat(query(fresh, "SELECT note FROM payment WHERE id = 1")).isEqualTo("green");
                    assertThat(query(blue, "SELECT count(*) FROM payment")).isEqualTo("1");
                    execute(green, "INSERT INTO payment VALUES (2, 20, 'moved')");
                }
            }
        } finally {
            admin("postgres", "DROP DATABASE IF EXISTS " + scratch + " WITH (FORCE);",
                    "DROP ROLE IF EXISTS " + scratch + "_blue;", "DROP ROLE IF EXISTS " + scratch + "_green;",
                    "DROP ROLE IF EXISTS " + scratch + ";");
        }
    }

    /** The role's stored password (its SCRAM verifier), as the superuser sees it. */
    private static String verifier(String role) throws IOException, InterruptedException {
        return admin("postgres", "SELECT rolpassword FROM pg_authid WHERE rolname = '" + role + "';").strip();
    }

    /**
     * Whether the local server checks passwords on 127.0.0.1: Debian's default does; some machines here run it with
     * trust (deploy/local/postgres.sh, check_logins), where a wrong password cannot be refused.
     */
    private static boolean asksForPasswords(String database) {
        try (Connection c = login(database, "blue", "not-the-password")) {
            return false;
        } catch (SQLException e) {
            assertThat(e.getSQLState()).as("a wrong password is refused as such").isEqualTo("28P01");
            return true;
        }
    }

    private static Connection login(String database, String colour, String password) throws SQLException {
        return DriverManager.getConnection(URL + database, database + "_" + colour, password);
    }

    private static void execute(Connection c, String... sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }

    /** SQL as the superuser, through the local setup's own script (which knows how to reach it on this machine). */
    private static String admin(String database, String... sql) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", Repo.ROOT.resolve("deploy/local/postgres.sh").toString(), "admin-sql",
                database).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().write(String.join("\n", sql).getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("postgres.sh admin-sql finished").isTrue();
        assertThat(p.exitValue()).as("postgres.sh admin-sql %s: %s", String.join(" ", sql), out).isZero();
        return out;
    }
}
