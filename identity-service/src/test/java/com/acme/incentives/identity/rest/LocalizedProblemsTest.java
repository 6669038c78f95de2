package com.acme.incentives.identity.rest;

import com.acme.incentives.platform.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Problem answers speak the language the request's Accept-Language asks for, English, Japanese or Korean (English for
 * any other or none): the title, the detail, each field's message (Bean Validation's too), with Content-Language
 * saying which; each field error's code is the same in every language.
 */
@QuarkusTest
class LocalizedProblemsTest {

    private static final String BAD_LOCATION = "{\"partnerId\": [1], \"partnerType\": \"FRANCHISE\", \"colour\": \"red\"}";

    private static ValidatableResponse badLocation(String acceptLanguage) {
        var request = given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).body(BAD_LOCATION);
        if (acceptLanguage != null) {
            request.header("Accept-Language", acceptLanguage);
        }
        return request.post("/api/v1/organizations/" + UUID.randomUUID() + "/locations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/validation-failed"))
                .body("errors.find { it.field == 'partnerId' }.code", equalTo("type"))
                .body("errors.find { it.field == 'partnerType' }.code", equalTo("type"))
                .body("errors.find { it.field == 'colour' }.code", equalTo("unknown-field"))
                .body("errors.find { it.field == 'name' }.code", equalTo("NotBlank"))
                .body("errors.find { it.field == 'country' }.code", equalTo("NotBlank"));
    }

    private static ValidatableResponse missingOrganization(String acceptLanguage, UUID id) {
        return given().auth().oauth2(TestTokens.operator()).header("Accept-Language", acceptLanguage)
                .get("/api/v1/organizations/" + id)
                .then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("/problems/not-found"));
    }

    @Test
    void japanese() {
        badLocation("ja-JP,ja;q=0.9,en;q=0.5")
                .header("Content-Language", "ja")
                .body("title", equalTo("入力内容が正しくありません"))
                .body("detail", equalTo("5 個の項目が正しくありません: colour, country, name, partnerId, partnerType"))
                .body("errors.find { it.field == 'partnerId' }.message", equalTo("文字列を指定してください"))
                .body("errors.find { it.field == 'partnerType' }.message",
                        equalTo("DIRECT_BILL, INDIRECT_PROVIDER, INDIRECT_RESELLER のいずれかを指定してください"))
                .body("errors.find { it.field == 'colour' }.message", equalTo("このリクエストの項目ではありません"))
                .body("errors.find { it.field == 'name' }.message", equalTo("空白は許可されていません"));
        UUID id = UUID.randomUUID();
        missingOrganization("ja", id)
                .header("Content-Language", "ja")
                .body("title", equalTo("見つかりません"))
                .body("detail", equalTo("組織 " + id + " が見つかりません"));
    }

    @Test
    void korean() {
        badLocation("ko")
                .header("Content-Language", "ko")
                .body("title", equalTo("입력값 검증에 실패했습니다"))
                .body("detail", equalTo("5개 항목이 올바르지 않습니다: colour, country, name, partnerId, partnerType"))
                .body("errors.find { it.field == 'partnerId' }.message", equalTo("문자열이어야 합니다"))
                .body("errors.find { it.field == 'colour' }.message", equalTo("이 요청의 항목이 아닙니다"))
                .body("errors.find { it.field == 'name' }.message", equalTo("공백일 수 없습니다"));
        UUID id = UUID.randomUUID();
        missingOrganization("ko-KR", id)
                .header("Content-Language", "ko")
                .body("title", equalTo("찾을 수 없습니다"))
                .body("detail", equalTo("조직 " + id + "을(를) 찾을 수 없습니다"));
    }

    @Test
    void englishWhenNoneOrAnotherLanguageIsAsked() {
        for (String language : new String[] { null, "fr", "fr-FR, de;q=0.8", "en-US" }) {
            badLocation(language)
                    .header("Content-Language", "en")
                    .body("title", equalTo("Validation failed"))
                    .body("detail", containsString("5 fields are invalid"))
                    .body("errors.find { it.field == 'partnerId' }.message", equalTo("must be a string"))
                    .body("errors.find { it.field == 'colour' }.message", equalTo("is not a field of this request"))
                    .body("errors.find { it.field == 'name' }.message", equalTo("must not be blank"));
        }
        UUID id = UUID.randomUUID();
        missingOrganization("fr", id)
                .header("Content-Language", "en")
                .body("title", equalTo("Not found"))
                .body("detail", equalTo("Organization " + id + " was not found"));
    }

    @Test
    void theLanguageWithTheHighestQualityWins() {
        badLocation("en;q=0.3, ko;q=0.6, ja;q=0.5").header("Content-Language", "ko");
        badLocation("ko;q=0.1, ja").header("Content-Language", "ja");
    }

    @Test
    void problemsOfTheHttpLayerSpeakTheLanguageToo() {
        given().urlEncodingEnabled(false).auth().oauth2(TestTokens.operator()).header("Accept-Language", "ja")
                .get("/api/v1/organizations/x%00y")
                .then().statusCode(400).header("Content-Language", "ja")
                .body("title", equalTo("リクエストの形式が正しくありません"))
                .body("detail", equalTo("リクエスト URI にエンコードされた NUL 文字（%00）が含まれています"));
    }
}
