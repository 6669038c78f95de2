package com.acme.incentives.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The messages the local SMTP server (GreenMail, deploy/local/smtp.sh) received for an address. */
public final class Mailbox {

    private static final String GREENMAIL = "http://localhost:8025";

    private Mailbox() {
    }

    /**
     * The one message the address received whose (decoded) subject contains every fragment: waits for it, then a few
     * seconds more, and fails if a second one came (nothing lost, nothing doubled).
     */
    public static JsonNode onlyMessage(String email, String... subjectFragments) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !withSubject(email, subjectFragments).isEmpty());
        try {
            Thread.sleep(3_000); // a duplicate would be sent by the relay's next pass (every 2 s)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<JsonNode> found = withSubject(email, subjectFragments);
        assertThat(found).as("messages to %s with %s", email, List.of(subjectFragments)).hasSize(1);
        return found.get(0);
    }

    /** The address's messages whose subject contains every fragment. */
    public static List<JsonNode> withSubject(String email, String... subjectFragments) {
        return messages(email).stream().filter(m -> {
            String subject = m.path("subject").asText();
            return Arrays.stream(subjectFragments).allMatch(subject::contains);
        }).toList();
    }

    /** None while the address never received a message (GreenMail answers 400 for an unknown mailbox). */
    public static List<JsonNode> messages(String email) {
        var response = RestAssured.given().baseUri(GREENMAIL).basePath("").port(8025)
                .get("/api/user/" + email + "/messages/INBOX");
        if (response.statusCode() != 200) {
            return List.of();
        }
        try {
            List<JsonNode> messages = new ArrayList<>();
            SampleBodies.JSON.readTree(response.asString()).forEach(messages::add);
            return messages;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
