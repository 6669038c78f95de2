package com.acme.incentives.identity.rest;

import com.acme.incentives.identity.support.Directory;
import com.acme.incentives.identity.support.Directory.CreatedUser;
import com.acme.incentives.identity.support.Directory.Org;
import com.acme.incentives.identity.support.KeycloakLogin;
import com.acme.incentives.platform.testing.TestEvents;
import com.acme.incentives.platform.testing.TestTokens;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A user opts out of the non-critical emails for themselves (and back in): shown in the user view, published on
 * identity.events for enrollment-service, which sends the emails; operators are emailed nothing here (403), a body
 * without the choice is a 400 naming the field.
 */
@QuarkusTest
class EmailPreferencesTest {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final Duration SETTLE = Duration.ofSeconds(3);

    @Test
    void aUserOptsOutOfTheNonCriticalEmailsAndBackIn() {
        Org org = Directory.registerOrganization("Email preferences " + UUID.randomUUID());
        CreatedUser user = Directory.createUser(org.id(), "INCENTIVE_USER");
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/organizations/" + org.id() + "/users/" + user.id())
                .then().statusCode(200).body("nonCriticalEmails", equalTo(true));
        String token = signIn(user);

        try (TestEvents events = TestEvents.listen("identity.events")) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("nonCriticalEmails", false))
                    .put("/api/v1/me/email-preferences")
                    .then().statusCode(200).body("id", equalTo(user.id())).body("nonCriticalEmails", equalTo(false));
            // the same choice again changes nothing: no second event
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("nonCriticalEmails", false))
                    .put("/api/v1/me/email-preferences").then().statusCode(200);
            List<JsonNode> changed = events.await(TestEvents.ofType("UserEmailPreferencesChanged", org.id()), 1,
                    WAIT, SETTLE);
            assertThat(changed).hasSize(1);
            assertThat(changed.get(0).path("data").path("userId").asText()).isEqualTo(user.id());
            assertThat(changed.get(0).path("data").path("email").asText()).isEqualTo(user.email());
            assertThat(changed.get(0).path("data").path("nonCriticalEmails").asBoolean(true)).isFalse();
        }
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/organizations/" + org.id() + "/users/" + user.id())
                .then().statusCode(200).body("nonCriticalEmails", equalTo(false));
        given().auth().oauth2(token).get("/api/v1/me/email-preferences")
                .then().statusCode(200).body("nonCriticalEmails", equalTo(false));

        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("nonCriticalEmails", true))
                .put("/api/v1/me/email-preferences")
                .then().statusCode(200).body("nonCriticalEmails", equalTo(true));
    }

    @Test
    void operatorsAnonymousCallersAndBodiesWithoutTheChoiceAreRefused() {
        Org org = Directory.registerOrganization("Email preferences refused " + UUID.randomUUID());
        CreatedUser user = Directory.createUser(org.id(), "INCENTIVE_ADMIN");
        String token = signIn(user);
        given().auth().oauth2(token).header("Accept-Language", "ja").contentType(ContentType.JSON)
                .body(Map.of()).put("/api/v1/me/email-preferences")
                .then().statusCode(400).contentType("application/problem+json").header("Content-Language", "ja")
                .body("errors[0].field", equalTo("nonCriticalEmails"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"nonCriticalEmails\":\"no\"}")
                .put("/api/v1/me/email-preferences")
                .then().statusCode(400).body("errors[0].field", equalTo("nonCriticalEmails"));
        given().auth().oauth2(TestTokens.operator()).header("Accept-Language", "ko").contentType(ContentType.JSON)
                .body(Map.of("nonCriticalEmails", false)).put("/api/v1/me/email-preferences")
                .then().statusCode(403).contentType("application/problem+json")
                .body("detail", equalTo("여기에서 이메일 수신 설정을 할 수 있는 것은 파트너 조직의 사용자뿐입니다"));
        given().contentType(ContentType.JSON).body(Map.of("nonCriticalEmails", false))
                .put("/api/v1/me/email-preferences").then().statusCode(401);
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/me/email-preferences").then().statusCode(403);
        given().auth().oauth2(token).get("/api/v1/me/email-preferences")
                .then().statusCode(200).body("nonCriticalEmails", equalTo(true));
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/organizations/" + org.id() + "/users/" + user.id())
                .then().statusCode(200).body("nonCriticalEmails", equalTo(true));
    }

    private static String signIn(CreatedUser user) {
        String own = "Own-" + UUID.randomUUID();
        KeycloakLogin.changeTemporaryPassword(user.email(), user.temporaryPassword(), own);
        return KeycloakLogin.passwordGrant(user.email(), own).then().statusCode(200).extract().path("access_token");
    }
}
