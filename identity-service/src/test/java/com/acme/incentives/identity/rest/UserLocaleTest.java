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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * A user's preferred language: set on creation, changed by an admin and by the user themselves, kept in Keycloak's
 * {@code locale} attribute (so the token's {@code locale} claim carries it), shown in the user view and published on
 * identity.events; anything but en, ja, ko is a 400 with the field's code, in the caller's language.
 */
@QuarkusTest
class UserLocaleTest {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final Duration SETTLE = Duration.ofSeconds(3);

    @Test
    void aUserCreatedWithALanguageHasItInTheViewInKeycloakInTheTokenAndInTheEvent() {
        Org org = Directory.registerOrganization("Locale " + UUID.randomUUID());
        String email = Directory.uniqueEmail("kenji");
        try (TestEvents events = TestEvents.listen("identity.events")) {
            String userId = given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                    .body(newUser(email, "ja"))
                    .post("/api/v1/organizations/" + org.id() + "/users")
                    .then().statusCode(201).body("user.locale", equalTo("ja")).extract().path("user.id");
            given().auth().oauth2(TestTokens.operator()).get("/api/v1/organizations/" + org.id() + "/users/" + userId)
                    .then().statusCode(200).body("locale", equalTo("ja"));
            assertThat(keycloakLocale(email)).isEqualTo(List.of("ja"));

            List<JsonNode> created = events.await(node -> "UserCreated".equals(node.path("type").asText())
                    && userId.equals(node.path("data").path("userId").asText()), 1, WAIT, SETTLE);
            assertThat(created).hasSize(1);
            assertThat(created.get(0).path("data").path("locale").asText()).isEqualTo("ja");
        }
        // Without a language: none in the view, none in Keycloak.
        CreatedUser plain = Directory.createUser(org.id(), "INCENTIVE_USER");
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/organizations/" + org.id() + "/users/" + plain.id())
                .then().statusCode(200).body("locale", nullValue());
        assertThat(keycloakLocale(plain.email())).isNull();
    }

    @Test
    void anAdminChangesAUsersLanguageOnceAndTheNextTokenCarriesIt() {
        Org org = Directory.registerOrganization("Locale admin " + UUID.randomUUID());
        CreatedUser user = Directory.createUser(org.id(), "INCENTIVE_USER");
        String own = "Own-" + UUID.randomUUID();
        KeycloakLogin.changeTemporaryPassword(user.email(), user.temporaryPassword(), own);
        try (TestEvents events = TestEvents.listen("identity.events")) {
            given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).body(Map.of("locale", "ko"))
                    .put("/api/v1/organizations/" + org.id() + "/users/" + user.id() + "/locale")
                    .then().statusCode(200).body("locale", equalTo("ko")).body("id", equalTo(user.id()));
            // The same language again changes nothing and publishes nothing.
            given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).body(Map.of("locale", "ko"))
                    .put("/api/v1/organizations/" + org.id() + "/users/" + user.id() + "/locale")
                    .then().statusCode(200).body("locale", equalTo("ko"));
            List<JsonNode> changed = events.await(TestEvents.ofType("UserLocaleChanged", org.id()), 1, WAIT,
                    SETTLE);
            assertThat(changed).hasSize(1);
            JsonNode data = changed.get(0).path("data");
            assertThat(data.path("userId").asText()).isEqualTo(user.id());
            assertThat(data.path("email").asText()).isEqualTo(user.email());
            assertThat(data.path("locale").asText()).isEqualTo("ko");
            assertThat(data.path("changedBy").asText()).isNotBlank();
        }
        assertThat(keycloakLocale(user.email())).isEqualTo(List.of("ko"));
        Map<String, Object> claims = KeycloakLogin.claims(KeycloakLogin.passwordGrant(user.email(), own).then()
                .statusCode(200).extract().path("access_token"));
        assertThat(claims.get("locale")).isEqualTo("ko");

        // null removes the choice again.
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).body("{\"locale\":null}")
                .put("/api/v1/organizations/" + org.id() + "/users/" + user.id() + "/locale")
                .then().statusCode(200).body("locale", nullValue());
        assertThat(keycloakLocale(user.email())).isNull();
    }

    @Test
    void onlyAGlobalAdminChangesAGlobalAdminsLanguageAndAnotherOrganizationIsNotFound() {
        Org org = Directory.registerOrganization("Locale roles " + UUID.randomUUID());
        Org other = Directory.registerOrganization("Locale other " + UUID.randomUUID());
        CreatedUser incentiveAdmin = Directory.createUser(org.id(), "INCENTIVE_ADMIN");
        String token = signIn(incentiveAdmin);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("locale", "ja"))
                .put("/api/v1/organizations/" + org.id() + "/users/" + org.adminId() + "/locale")
                .then().statusCode(403);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("locale", "ja"))
                .put("/api/v1/organizations/" + other.id() + "/users/" + other.adminId() + "/locale")
                .then().statusCode(404);
        given().contentType(ContentType.JSON).body(Map.of("locale", "ja"))
                .put("/api/v1/organizations/" + org.id() + "/users/" + org.adminId() + "/locale")
                .then().statusCode(401);
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/organizations/" + org.id() + "/users/"
                + org.adminId()).then().statusCode(200).body("locale", nullValue());
    }

    @Test
    void aUserSetsTheirOwnLanguageAndOperatorsHaveNone() {
        Org org = Directory.registerOrganization("Locale self " + UUID.randomUUID());
        CreatedUser user = Directory.createUser(org.id(), "INCENTIVE_USER");
        String token = signIn(user);
        try (TestEvents events = TestEvents.listen("identity.events")) {
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("locale", "ja"))
                    .put("/api/v1/me/locale")
                    .then().statusCode(200).body("id", equalTo(user.id())).body("locale", equalTo("ja"));
            List<JsonNode> changed = events.await(TestEvents.ofType("UserLocaleChanged", org.id()), 1, WAIT,
                    SETTLE);
            assertThat(changed).hasSize(1);
            assertThat(changed.get(0).path("data").path("changedBy").asText()).isEqualTo(user.id());
            assertThat(changed.get(0).path("data").path("locale").asText()).isEqualTo("ja");
        }
        assertThat(keycloakLocale(user.email())).isEqualTo(List.of("ja"));
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/organizations/" + org.id() + "/users/" + user.id())
                .then().statusCode(200).body("locale", equalTo("ja"));

        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).body(Map.of("locale", "ja"))
                .put("/api/v1/me/locale").then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("locale", "ja")).put("/api/v1/me/locale")
                .then().statusCode(401);
    }

    @Test
    void anUnsupportedLanguageIsA400WithTheFieldsCodeInTheCallersLanguage() {
        Org org = Directory.registerOrganization("Locale bad " + UUID.randomUUID());
        String email = Directory.uniqueEmail("bad-locale");
        given().auth().oauth2(TestTokens.operator()).header("Accept-Language", "ja").contentType(ContentType.JSON)
                .body(newUser(email, "fr"))
                .post("/api/v1/organizations/" + org.id() + "/users")
                .then().statusCode(400).header("Content-Language", "ja")
                .body("errors[0].field", equalTo("locale"))
                .body("errors[0].code", equalTo("unsupported-locale"))
                .body("errors[0].message", equalTo("対応していない言語です。en, ja, ko のいずれかを指定してください"));
        assertThat(Directory.keycloakUsersByEmail(email)).isEmpty();

        CreatedUser user = Directory.createUser(org.id(), "INCENTIVE_USER");
        given().auth().oauth2(TestTokens.operator()).header("Accept-Language", "ko").contentType(ContentType.JSON)
                .body(Map.of("locale", "ja-JP"))
                .put("/api/v1/organizations/" + org.id() + "/users/" + user.id() + "/locale")
                .then().statusCode(400).header("Content-Language", "ko")
                .body("errors[0].field", equalTo("locale"))
                .body("errors[0].code", equalTo("unsupported-locale"))
                .body("errors[0].message", containsString("지원하지 않는 언어"));
        String token = signIn(user);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("locale", "JA"))
                .put("/api/v1/me/locale")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("locale"))
                .body("errors[0].code", equalTo("unsupported-locale"))
                .body("errors[0].message", equalTo("is not a supported language; one of en, ja, ko"));
        given().auth().oauth2(TestTokens.operator()).get("/api/v1/organizations/" + org.id() + "/users/" + user.id())
                .then().statusCode(200).body("locale", nullValue());
    }

    private static Map<String, Object> newUser(String email, String locale) {
        Map<String, Object> body = new HashMap<>(Directory.newUser(email, List.of("INCENTIVE_USER"), List.of()));
        body.put("locale", locale);
        return body;
    }

    private static String signIn(CreatedUser user) {
        String own = "Own-" + UUID.randomUUID();
        KeycloakLogin.changeTemporaryPassword(user.email(), user.temporaryPassword(), own);
        return KeycloakLogin.passwordGrant(user.email(), own).then().statusCode(200).extract().path("access_token");
    }

    /** The user's locale attribute as Keycloak itself holds it (null when absent). */
    @SuppressWarnings("unchecked")
    private static List<String> keycloakLocale(String email) {
        List<Map<String, Object>> found = Directory.keycloakUsersByEmail(email);
        assertThat(found).hasSize(1);
        Map<String, Object> attributes = (Map<String, Object>) found.get(0).get("attributes");
        return attributes == null ? null : (List<String>) attributes.get("locale");
    }
}
