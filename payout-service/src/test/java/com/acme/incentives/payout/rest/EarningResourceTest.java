package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.PayoutFixture;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.payout.PayoutFixture.earning;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import org.hamcrest.Matchers;

@QuarkusTest
public class EarningResourceTest {

    @Test
    void batchIsIdempotentByEarningIdAndExact() {
        UUID org = UUID.randomUUID();
        String partner = PayoutFixture.addLocation(org, "DE");
        String period = PayoutFixture.lastMonth();
        LocalDate day = PayoutFixture.dayOf(period, 10);
        List<Map<String, Object>> lines = new ArrayList<>();
        lines.add(earning(partner, "REBATE", "100.10", "EUR", day));
        lines.add(earning(partner, "COOP", "0.01", "EUR", day));
        lines.add(earning(partner, "ADJUSTMENT", "-20.05", "EUR", day));
        lines.add(earning(partner, "REBATE", "1500", "JPY", day));

        PayoutFixture.pushEarnings(lines).then().statusCode(200).body("created", equalTo(4))
                .body("alreadyPresent", equalTo(0));
        // Resent (the feed's retry): nothing new; "100.1" is the same amount as "100.10".
        lines.get(0).put("earningAmount", "100.1");
        PayoutFixture.pushEarnings(lines).then().statusCode(200).body("created", equalTo(0))
                .body("alreadyPresent", equalTo(4));

        String user = TestUsers.create(org, "INCENTIVE_USER").token();
        given().auth().oauth2(user).get("/api/v1/organizations/" + org + "/earnings?period=" + period).then()
                .statusCode(200).body("totalItems", equalTo(4))
                .body("items.earningAmount", hasItem("-20.05")).body("items.earningAmount", hasItem("1500"))
                .body("items.earningAmount", hasItem("100.10")).body("items[0].status", equalTo("UNPAID"));
        given().auth().oauth2(user).get("/api/v1/organizations/" + org + "/earnings?type=ADJUSTMENT").then()
                .statusCode(200).body("totalItems", equalTo(1)).body("items[0].reasonCode",
                        equalTo("OPS_ADJUSTMENT"));
        given().auth().oauth2(user).get("/api/v1/organizations/" + org + "/earnings?status=SENT").then()
                .statusCode(200).body("totalItems", equalTo(0));
        given().auth().oauth2(user).get("/api/v1/organizations/" + org + "/earnings?period=2001-01").then()
                .statusCode(200).body("totalItems", equalTo(0));

        String csv = given().auth().oauth2(user).accept("text/csv")
                .get("/api/v1/organizations/" + org + "/earnings?period=" + period).then().statusCode(200)
                .contentType(Matchers.containsString("text/csv")).extract().asString();
        String[] rows = csv.split("\r\n");
        assertThat(rows).hasSize(5);
        assertThat(rows[0]).startsWith("earning_id,partner_id,program_id,type");
        assertThat(csv).contains(",-20.05,EUR,").contains(",UNPAID,");
    }

    /**
     * Excel opens a CSV as UTF-8 only when it starts with a byte-order mark; without one it uses the system's code
     * page, Shift-JIS (windows-31j) on Japanese Windows and CP949 on Korean Windows. Decoded that way, the customers'
     * names must come out as they were sent.
     */
    @Test
    void csvExportsOpenInJapaneseAndKoreanExcel() {
        UUID org = UUID.randomUUID();
        String partner = PayoutFixture.addLocation(org, "JP");
        String period = PayoutFixture.lastMonth();
        LocalDate day = PayoutFixture.dayOf(period, 10);
        Map<String, Object> yen = earning(partner, "REBATE", "15000", "JPY", day);
        yen.put("customer", "株式会社ファブリカム");
        Map<String, Object> won = earning(partner, "REBATE", "250000", "KRW", day);
        won.put("customer", "주식회사 파브리캄");
        PayoutFixture.pushEarnings(List.of(yen, won)).then().statusCode(200).body("created", equalTo(2));
        String user = TestUsers.create(org, "INCENTIVE_USER").token();
        String path = "/api/v1/organizations/" + org + "/earnings?period=" + period;

        for (String language : List.of("ja-JP", "ko-KR")) {
            byte[] file = csv(user, path, language).header("Vary", Matchers.containsString("Accept-Language"))
                    .extract().asByteArray();
            assertThat(file).as("a %s caller's file starts with the UTF-8 byte-order mark", language)
                    .startsWith(0xEF, 0xBB, 0xBF);
            String seen = asExcelReads(file, language);
            assertThat(seen).as("as Excel in %s reads it", language).contains(",株式会社ファブリカム,")
                    .contains(",주식회사 파브리캄,").contains(",15000,JPY,").contains(",250000,KRW,");
            assertThat(seen.split("\r\n")[0]).as("the columns keep their machine names")
                    .startsWith("earning_id,partner_id,program_id,type");
            // Asked for without: a program that does not skip a mark gets none.
            assertThat(csv(user, path + "&bom=false", language).extract().asByteArray()).startsWith(
                    "earning_id".getBytes(StandardCharsets.US_ASCII));
        }
        // English callers get none unless they ask for it.
        assertThat(csv(user, path, "en").extract().asByteArray())
                .startsWith("earning_id".getBytes(StandardCharsets.US_ASCII));
        byte[] asked = csv(user, path + "&bom=true", null).extract().asByteArray();
        assertThat(asked).startsWith(0xEF, 0xBB, 0xBF);
        assertThat(asExcelReads(asked, "ja-JP")).contains(",株式会社ファブリカム,");
        // Without the mark, Japanese Excel garbles the names: the reason for all this.
        assertThat(asExcelReads(csv(user, path, "en").extract().asByteArray(), "ja-JP"))
                .doesNotContain("株式会社ファブリカム");

        given().auth().oauth2(user).accept("text/csv").header("Accept-Language", "ja").get(path + "&bom=yes")
                .then().statusCode(400).contentType("application/problem+json")
                .header("Content-Language", "ja")
                .body("errors.field", hasItem("bom")).body("errors.code", hasItem("Pattern"));
    }

    private static io.restassured.response.ValidatableResponse csv(String token, String path, String language) {
        var request = given().auth().oauth2(token).accept("text/csv");
        if (language != null) {
            request.header("Accept-Language", language);
        }
        return request.get(path).then().statusCode(200).contentType("text/csv; charset=UTF-8");
    }

    /** What Excel shows: UTF-8 after a byte-order mark, otherwise the Windows code page of the language. */
    private static String asExcelReads(byte[] file, String language) {
        if (file.length >= 3 && (file[0] & 0xFF) == 0xEF && (file[1] & 0xFF) == 0xBB && (file[2] & 0xFF) == 0xBF) {
            return new String(file, 3, file.length - 3, StandardCharsets.UTF_8);
        }
        return new String(file, Charset.forName(language.startsWith("ko") ? "x-windows-949" : "windows-31j"));
    }

    @Test
    void resendWithDifferentContentIsAConflictNamingTheEarningAndWritesNothing() {
        UUID org = UUID.randomUUID();
        String partner = PayoutFixture.addLocation(org, "DE");
        LocalDate day = PayoutFixture.dayOf(PayoutFixture.lastMonth(), 3);
        Map<String, Object> first = earning(partner, "REBATE", "10.00", "EUR", day);
        PayoutFixture.pushEarnings(List.of(first)).then().statusCode(200);

        Map<String, Object> changed = new HashMap<>(first);
        changed.put("earningAmount", "11.00");
        Map<String, Object> fresh = earning(partner, "REBATE", "5.00", "EUR", day);
        PayoutFixture.pushEarnings(List.of(fresh, changed)).then().statusCode(409)
                .contentType("application/problem+json").body("earningId", equalTo(first.get("earningId")));
        // All or nothing: the valid line of the refused batch was not stored.
        String user = TestUsers.create(org, "INCENTIVE_USER").token();
        given().auth().oauth2(user).get("/api/v1/organizations/" + org + "/earnings").then().statusCode(200)
                .body("totalItems", equalTo(1)).body("items[0].earningAmount", equalTo("10.00"));
    }

    @Test
    void badLinesAre400NamingTheLineAndField() {
        UUID org = UUID.randomUUID();
        String partner = PayoutFixture.addLocation(org, "DE");
        LocalDate day = PayoutFixture.dayOf(PayoutFixture.lastMonth(), 3);

        badLine(earning(partner, "REBATE", "-1.00", "EUR", day), "lines[0].earningAmount");
        badLine(earning(partner, "REBATE", "1.001", "EUR", day), "lines[0].earningAmount");
        badLine(earning(partner, "REBATE", "1.5", "JPY", day), "lines[0].earningAmount");
        badLine(earning(partner, "REBATE", "1.00", "EURO", day), "lines[0].earningCurrency");
        badLine(earning("999999999998", "REBATE", "1.00", "EUR", day), "lines[0].partnerId");
        badLine(earning(partner, "BONUS", "1.00", "EUR", day), "lines[0].type");
        Map<String, Object> adjustment = earning(partner, "ADJUSTMENT", "-1.00", "EUR", day);
        adjustment.remove("reasonCode");
        badLine(adjustment, "lines[0].reasonCode");

        given().auth().oauth2(TestTokens.billingSystem()).contentType(ContentType.JSON)
                .body(Map.of("lines", List.of())).post("/api/v1/earnings/batch").then().statusCode(400)
                .body("errors.field", hasItem("lines"));
        given().auth().oauth2(TestTokens.billingSystem()).contentType(ContentType.JSON)
                .body(Map.of("lines", List.of(earning(partner, "REBATE", "1.00", "EUR", day)), "extra", 1))
                .post("/api/v1/earnings/batch").then().statusCode(400);
    }

    @Test
    void onlyTheFeedPushesAndOnlyTheOrganizationReads() {
        UUID org = UUID.randomUUID();
        String partner = PayoutFixture.addLocation(org, "DE");
        Map<String, Object> line = earning(partner, "REBATE", "1.00", "EUR", LocalDate.now().minusDays(1));
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("lines", List.of(line)))
                .post("/api/v1/earnings/batch").then().statusCode(403);
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON).body(Map.of("lines", List.of(line)))
                .post("/api/v1/earnings/batch").then().statusCode(403);
        given().contentType(ContentType.JSON).body(Map.of("lines", List.of(line)))
                .post("/api/v1/earnings/batch").then().statusCode(401);

        String stranger = TestUsers.create(UUID.randomUUID(), "INCENTIVE_ADMIN").token();
        given().auth().oauth2(stranger).get("/api/v1/organizations/" + org + "/earnings").then().statusCode(404);
        given().auth().oauth2(stranger).accept("text/csv").get("/api/v1/organizations/" + org + "/earnings").then()
                .statusCode(404);
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/earnings?status=REVERSED").then()
                .statusCode(400).body("errors.field", hasItem("status"));
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/earnings?status=PAID").then()
                .statusCode(200);
        given().auth().oauth2(admin).get("/api/v1/organizations/" + org + "/earnings?period=2024-13").then()
                .statusCode(400).body("errors.field", hasItem("period"));
    }

    private static void badLine(Map<String, Object> line, String field) {
        PayoutFixture.pushEarnings(List.of(line)).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
    }
}
