package com.acme.incentives.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.awaitility.Awaitility.await;

/** The messages the local SMTP server (GreenMail, deploy/local/smtp.sh) received for an address. */
public final class Mailbox {

    private static final String GREENMAIL = "http://localhost:8025";

    private Mailbox() {
    }

    /**
     * The one message the address received whose (decoded) subject contains every fragment (nothing lost, nothing
     * doubled): see {@link #exactly}.
     */
    public static JsonNode onlyMessage(String email, String... subjectFragments) {
        return exactly(1, email, subjectFragments).get(0);
    }

    /** One message expected at an address, its subject containing every fragment (see {@link #onlyMessages}). */
    public record One(String email, String... subjectFragments) {

        @Override
        public String toString() {
            return email + " with " + List.of(subjectFragments);
        }
    }

    /**
     * {@link #onlyMessage} for several messages at once, in the order given: each is waited for, then one window in
     * which none may be doubled, rather than a window after each (each count is still held as long, from later on).
     */
    public static List<JsonNode> onlyMessages(One... expected) {
        for (One one : expected) {
            await("1 message to " + one).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> !withSubject(one.email(), one.subjectFragments()).isEmpty());
        }
        await("no more than 1 message to each of " + List.of(expected)).during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(500))
                .until(() -> Arrays.stream(expected)
                        .allMatch(one -> withSubject(one.email(), one.subjectFragments()).size() == 1));
        return Arrays.stream(expected).map(one -> withSubject(one.email(), one.subjectFragments()).get(0)).toList();
    }

    /**
     * The messages the address received whose subject contains every fragment, once there are {@code expected} of
     * them and no more arrive for a few seconds: a duplicate would be sent by the mail relay's next passes (every
     * 2 s), so the count has to hold over more than one pass.
     */
    public static List<JsonNode> exactly(int expected, String email, String... subjectFragments) {
        String what = expected + " message(s) to " + email + " with " + List.of(subjectFragments);
        await(what).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> withSubject(email, subjectFragments).size() >= expected);
        await("no more than " + what).during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> withSubject(email, subjectFragments).size() == expected);
        return withSubject(email, subjectFragments);
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
