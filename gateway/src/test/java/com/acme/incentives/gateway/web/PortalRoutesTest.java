package com.acme.incentives.gateway.web;

import com.acme.incentives.gateway.support.EchoServices;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The portal's files at / (module portal, built before the gateway): pages, assets, their headers. */
@QuarkusTest
@WithTestResource(EchoServices.class)
class PortalRoutesTest {

    private static final String HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @Test
    void theRootIsThePortalPageWithAPolicyThatAllowsOnlyItsOwnFiles() {
        Response page = given().header("Accept", HTML).get("/").then().statusCode(200)
                .contentType("text/html")
                .header("Content-Security-Policy", PortalRoutes.PORTAL_CONTENT_SECURITY_POLICY)
                .header("Cache-Control", "no-store")
                .header("X-Frame-Options", "DENY")
                .body(containsString("<div id=\"root\"></div>"))
                .extract().response();
        assertThat(page.asString()).as("no inline script: the policy would block it")
                .doesNotContainPattern("<script(?![^>]*\\ssrc=)[^>]*>");
        assertThat(PortalRoutes.PORTAL_CONTENT_SECURITY_POLICY)
                .contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe");
    }

    @Test
    void aPageAddressOfThePortalIsThePortalPageForABrowserAndNothingForAnyoneElse() {
        String index = given().header("Accept", HTML).get("/").asString();
        given().header("Accept", HTML).get("/payments").then().statusCode(200).body(equalTo(index));
        given().header("Accept", HTML).get("/statements/2026-11").then().statusCode(200).body(equalTo(index));
        given().header("Accept", "application/json").get("/payments").then().statusCode(404)
                .contentType("application/problem+json");
        given().header("Accept", HTML).get("/favicon.ico").then().statusCode(404).contentType("application/problem+json");
        given().header("Accept", HTML).get("/api/v1/nowhere").then().statusCode(401)
                .contentType("application/problem+json");
        given().header("Accept", HTML).get("/q/nowhere").then().statusCode(404);
    }

    @Test
    void assetsAreCachedForAYearAndGzippedForBrowsersThatTakeIt() throws IOException {
        String index = given().header("Accept", HTML).get("/").asString();
        Matcher script = Pattern.compile("src=\"(/assets/[^\"]+\\.js)\"").matcher(index);
        assertThat(script.find()).as("the page loads a script of its own: %s", index).isTrue();
        String plain = given().header("Accept-Encoding", "identity").get(script.group(1)).then().statusCode(200)
                .contentType("text/javascript")
                .header("Cache-Control", PortalRoutes.ASSET_CACHING)
                .extract().asString();
        byte[] zipped = given().config(io.restassured.RestAssured.config().decoderConfig(
                        io.restassured.config.DecoderConfig.decoderConfig().noContentDecoders()))
                .header("Accept-Encoding", "gzip").get(script.group(1)).then().statusCode(200)
                .header("Content-Encoding", "gzip").header("Vary", "Accept-Encoding")
                .extract().asByteArray();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(plain);
        }
        assertThat(zipped.length).isLessThan(plain.length() / 2);

        given().get("/assets/no-such-file.js").then().statusCode(404).contentType("application/problem+json")
                .header("Cache-Control", "no-store");
        given().get("/assets/..%2Fapplication.properties").then().statusCode(404);
        given().get("/assets/index.php").then().statusCode(404);
    }
}
