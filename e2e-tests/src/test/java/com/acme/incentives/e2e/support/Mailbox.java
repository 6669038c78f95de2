package com.acme.incentives.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.RestAssured;

import java.util.ArrayList;
import java.util.List;

/** The messages the local SMTP server (GreenMail, deploy/local/smtp.sh) received for an address. */
public final class Mailbox {

    private static final String GREENMAIL = "http://localhost:8025";

    private Mailbox() {
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
