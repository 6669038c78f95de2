package com.acme.incentives.e2e.support;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator does first in most journeys: registers an organization, whose primary contact gets a temporary
 * password, and adds its locations.
 */
public final class Organizations {

    private Organizations() {
    }

    /** A registered organization and its primary contact's temporary password (remembered for the log scan). */
    public record Registered(String id, String temporaryPassword) {
    }

    /** A partner ID no other run uses: ten digits, as the partner feed writes them. */
    public static String newPartnerId() {
        return String.valueOf(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
    }

    public static Registered register(String operator, String name, String email, String firstName,
            String lastName) {
        Response registered = Gateway.request().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("name", name, "primaryContact",
                        Map.of("email", email, "firstName", firstName, "lastName", lastName)))
                .post("/api/v1/organizations");
        assertThat(registered.statusCode()).as(registered.asString()).isEqualTo(201);
        assertThat((String) registered.path("name")).isEqualTo(name);
        return new Registered(registered.path("id"), SecretsSeen.remember(registered.path("temporaryPassword")));
    }

    /** An indirect reseller location of the organization. */
    public static void addLocation(String operator, String orgId, String partnerId, String name, String country) {
        Gateway.request().auth().oauth2(operator).contentType(ContentType.JSON)
                .body(Map.of("partnerId", partnerId, "name", name, "country", country,
                        "partnerType", "INDIRECT_RESELLER"))
                .post("/api/v1/organizations/" + orgId + "/locations").then().statusCode(201);
    }
}
