package com.acme.incentives.banksimulator;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The simulator through its HTTP channel: the rules decide each transfer (accepted and settled, refused for an
 * account ending 13, settled then returned for one ending 99), a file handed over again is counted but not paid
 * again, and unreadable or inconsistent files are refused. Test profile: settlement and return after 0.5 s each.
 */
@QuarkusTest
class BankSimulatorTest {

    private static final String PAIN002 = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10";

    record Tx(String endToEndId, String amount, String iban) {
    }

    static String pain001(String messageId, List<Tx> transfers) {
        StringBuilder txs = new StringBuilder();
        java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
        for (Tx t : transfers) {
            sum = sum.add(new java.math.BigDecimal(t.amount()));
            txs.append("""
                    <CdtTrfTxInf><PmtId><EndToEndId>%s</EndToEndId></PmtId>
                      <Amt><InstdAmt Ccy="EUR">%s</InstdAmt></Amt>
                      <CdtrAgt><FinInstnId><BICFI>COBADEFFXXX</BICFI></FinInstnId></CdtrAgt>
                      <Cdtr><Nm>Partner GmbH</Nm></Cdtr>
                      <CdtrAcct><Id><IBAN>%s</IBAN></Id></CdtrAcct>
                      <RmtInf><Ustrd>Partner incentives</Ustrd></RmtInf></CdtTrfTxInf>
                    """.formatted(t.endToEndId(), t.amount(), t.iban()));
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn>
                  <GrpHdr><MsgId>%s</MsgId><CreDtTm>2026-01-01T00:00:00Z</CreDtTm><NbOfTxs>%d</NbOfTxs>
                    <CtrlSum>%s</CtrlSum><InitgPty><Nm>Acme</Nm></InitgPty></GrpHdr>
                  <PmtInf><PmtInfId>%s-EUR</PmtInfId><PmtMtd>TRF</PmtMtd><NbOfTxs>%d</NbOfTxs><CtrlSum>%s</CtrlSum>
                    <ReqdExctnDt><Dt>2026-01-01</Dt></ReqdExctnDt><Dbtr><Nm>Acme</Nm></Dbtr>
                    <DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>
                    <DbtrAgt><FinInstnId><BICFI>COBADEFFXXX</BICFI></FinInstnId></DbtrAgt>
                    %s</PmtInf>
                </CstmrCdtTrfInitn></Document>""".formatted(messageId, transfers.size(), sum.toPlainString(),
                messageId, transfers.size(), sum.toPlainString(), txs);
    }

    static String id() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void eachTransferIsDecidedByTheRulesAndReportedAtOnceAndLater() throws Exception {
        String cursor = given().get("/reports?after=end-of-nothing&limit=1000").then().statusCode(200).extract()
                .path("next");
        String messageId = id();
        Tx paid = new Tx(id(), "300.10", "DE89370400440532013000");
        Tx refused = new Tx(id(), "50.00", "DE00000000000000000013");
        Tx returned = new Tx(id(), "75.25", "DE00000000000000000099");
        given().contentType("application/xml").body(pain001(messageId, List.of(paid, refused, returned)))
                .post("/files").then().statusCode(202).body("messageId", equalTo(messageId))
                .body("transfers", equalTo(3)).body("duplicate", equalTo(false));

        // Everything about this message, in report order: end-to-end id -> statuses (with reason codes).
        Map<String, List<String>> seen = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            seen.clear();
            reportsAbout(messageId, cursor).forEach(doc -> statuses(doc).forEach((e2e, s) ->
                    seen.computeIfAbsent(e2e, k -> new ArrayList<>()).addAll(s)));
            return seen.getOrDefault(returned.endToEndId(), List.of()).size() == 3;
        });
        assertThat(seen.get(paid.endToEndId())).containsExactly("ACSP", "ACSC");
        assertThat(seen.get(refused.endToEndId())).containsExactly("RJCT AC01");
        assertThat(seen.get(returned.endToEndId())).containsExactly("ACSP", "ACSC", "RJCT AC04");

        JsonPath file = given().get("/files/" + messageId).then().statusCode(200).extract().jsonPath();
        assertThat(file.getInt("receipts")).isEqualTo(1);
        assertThat(file.getString("controlSums.EUR")).isEqualTo("425.35");
        assertThat(file.getMap("statuses")).containsEntry("ACSP", 2).containsEntry("ACSC", 2)
                .containsEntry("RJCT", 2);
    }

    /** A transfer to a domestic account routed by a clearing system (ClrSysId Cd or Prtry), as payout writes it. */
    static String domesticTx(String endToEndId, String currency, String amount, String systemElement, String system,
            String memberId, String account) {
        return """
                <CdtTrfTxInf><PmtId><EndToEndId>%s</EndToEndId></PmtId>
                  <Amt><InstdAmt Ccy="%s">%s</InstdAmt></Amt>
                  <CdtrAgt><FinInstnId><ClrSysMmbId><ClrSysId><%s>%s</%s></ClrSysId><MmbId>%s</MmbId></ClrSysMmbId>
                  </FinInstnId></CdtrAgt>
                  <Cdtr><Nm>ｶ)ｱｸﾒ</Nm></Cdtr>
                  <CdtrAcct><Id><Othr><Id>%s</Id></Othr></Id><Tp><Cd>SVGS</Cd></Tp></CdtrAcct>
                  <RmtInf><Ustrd>Partner incentives</Ustrd></RmtInf></CdtTrfTxInf>
                """.formatted(endToEndId, currency, amount, systemElement, system, systemElement, memberId, account);
    }

    /** A pain.001 of one block holding these transactions (written as they are), with its counts and sums. */
    static String pain001Raw(String messageId, String currency, int count, String sum, String transactions) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn>
                  <GrpHdr><MsgId>%s</MsgId><CreDtTm>2026-01-01T00:00:00Z</CreDtTm><NbOfTxs>%d</NbOfTxs>
                    <CtrlSum>%s</CtrlSum><InitgPty><Nm>Acme</Nm></InitgPty></GrpHdr>
                  <PmtInf><PmtInfId>%s-%s</PmtInfId><PmtMtd>TRF</PmtMtd><NbOfTxs>%d</NbOfTxs><CtrlSum>%s</CtrlSum>
                    <ReqdExctnDt><Dt>2026-01-01</Dt></ReqdExctnDt><Dbtr><Nm>Acme</Nm></Dbtr>
                    <DbtrAcct><Id><IBAN>DE89370400440532013000</IBAN></Id></DbtrAcct>
                    <DbtrAgt><FinInstnId><BICFI>COBADEFFXXX</BICFI></FinInstnId></DbtrAgt>
                    %s</PmtInf>
                </CstmrCdtTrfInitn></Document>""".formatted(messageId, count, sum, messageId, currency, count, sum,
                transactions);
    }

    @Test
    void zenginAndKoreanAccountsAreSettledWhenTheirClearingCodesFitTheScheme() throws Exception {
        String cursor = given().get("/reports?after=end-of-nothing&limit=1000").then().statusCode(200).extract()
                .path("next");
        String zengin = id();
        String badBranch = id();
        String badJpAccount = id();
        String jpMessage = id();
        given().contentType("application/xml").body(pain001Raw(jpMessage, "JPY", 3, "123459", ""
                + domesticTx(zengin, "JPY", "123456", "Cd", "JPZGN", "0005001", "1234567")
                + domesticTx(badBranch, "JPY", "1", "Cd", "JPZGN", "000500", "1234567")
                + domesticTx(badJpAccount, "JPY", "2", "Cd", "JPZGN", "0005001", "123456")))
                .post("/files").then().statusCode(202).body("transfers", equalTo(3));
        String korean = id();
        String dollars = id();
        String krMessage = id();
        given().contentType("application/xml").body(pain001Raw(krMessage, "KRW", 2, "1000100", ""
                + domesticTx(korean, "KRW", "1000000", "Prtry", "KRBOK", "004", "12345678901")
                + domesticTx(dollars, "USD", "100", "Prtry", "KRBOK", "088", "12345678901")))
                .post("/files").then().statusCode(202).body("transfers", equalTo(2));

        Map<String, List<String>> seen = new LinkedHashMap<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            seen.clear();
            for (String message : List.of(jpMessage, krMessage)) {
                reportsAbout(message, cursor).forEach(doc -> statuses(doc).forEach((e2e, s) ->
                        seen.computeIfAbsent(e2e, k -> new ArrayList<>()).addAll(s)));
            }
            return seen.getOrDefault(zengin, List.of()).size() == 2 && seen.getOrDefault(korean, List.of()).size() == 2;
        });
        assertThat(seen.get(zengin)).containsExactly("ACSP", "ACSC");
        assertThat(seen.get(korean)).containsExactly("ACSP", "ACSC");
        assertThat(seen.get(badBranch)).containsExactly("RJCT RC01");
        assertThat(seen.get(badJpAccount)).containsExactly("RJCT AC01");
        assertThat(seen.get(dollars)).containsExactly("RJCT AM03");
        // Amounts without a minor unit are read as they are: the control sum is whole yen.
        assertThat(given().get("/files/" + jpMessage).then().statusCode(200).extract().jsonPath()
                .getString("controlSums.JPY")).isEqualTo("123459");
    }

    @Test
    void aTransferWithAnEmptyCreditorAccountIsRefused() {
        given().contentType("application/xml").body(pain001Raw(id(), "JPY", 1, "100",
                domesticTx(id(), "JPY", "100", "Cd", "JPZGN", "0005001", "")))
                .post("/files").then().statusCode(400).contentType("application/problem+json");
        given().contentType("application/xml").body(pain001Raw(id(), "KRW", 1, "100",
                domesticTx(id(), "KRW", "100", "Prtry", "KRBOK", "004", "  ")))
                .post("/files").then().statusCode(400);
    }

    @Test
    void aFileHandedOverAgainIsCountedButNotPaidAgain() {
        String messageId = id();
        String file = pain001(messageId, List.of(new Tx(id(), "10.00", "DE89370400440532013000")));
        given().contentType("application/xml").body(file).post("/files").then().statusCode(202);
        int reports = given().get("/reports?limit=1000").then().extract().jsonPath().getList("reports").size();
        given().contentType("application/xml").body(file).post("/files").then().statusCode(200)
                .body("duplicate", equalTo(true)).body("receipts", equalTo(2));
        given().get("/files/" + messageId).then().body("receipts", equalTo(2)).body("statuses.ACSP", equalTo(1));
        // No new immediate report for the second hand-over (settlement reports may follow for the first).
        List<Map<String, Object>> after = given().get("/reports?limit=1000").then().extract().jsonPath()
                .getList("reports");
        assertThat(after.subList(reports, after.size()))
                .noneSatisfy(r -> assertThat(r.get("statuses")).isEqualTo(Map.of("ACSP", 1)));

        // The same message id with other content is refused, not processed.
        given().contentType("application/xml")
                .body(pain001(messageId, List.of(new Tx(id(), "99.00", "DE89370400440532013000"))))
                .post("/files").then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void unreadableOrInconsistentFilesAreRefused() {
        given().contentType("application/xml").body("<Document><not-closed>").post("/files").then().statusCode(400);
        given().contentType("application/xml").body("<?xml version=\"1.0\"?><Document xmlns=\"urn:x\"/>")
                .post("/files").then().statusCode(400);
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><CstmrCdtTrfInitn><GrpHdr>
                <MsgId>&x;</MsgId><NbOfTxs>0</NbOfTxs></GrpHdr></CstmrCdtTrfInitn></Document>""";
        given().contentType("application/xml").body(xxe).post("/files").then().statusCode(400)
                .body("detail", equalTo("DTDs are not accepted"));
        String wrongCount = pain001(id(), List.of(new Tx(id(), "10.00", "DE89370400440532013000")))
                .replace("<NbOfTxs>1</NbOfTxs>\n    <CtrlSum>", "<NbOfTxs>2</NbOfTxs>\n    <CtrlSum>");
        given().contentType("application/xml").body(wrongCount).post("/files").then().statusCode(422);
        given().contentType(ContentType.JSON).body("{}").post("/files").then().statusCode(415);
    }

    @Test
    void aCursorOfAnotherEpochReadsFromTheBeginning() {
        given().contentType("application/xml")
                .body(pain001(id(), List.of(new Tx(id(), "1.00", "DE89370400440532013000")))).post("/files")
                .then().statusCode(202);
        List<Object> all = given().get("/reports?limit=1000").then().extract().jsonPath().getList("reports");
        assertThat(all).isNotEmpty();
        assertThat(given().get("/reports?after=deadbeef.999999&limit=1000").then().extract().jsonPath()
                .getList("reports").size()).isGreaterThanOrEqualTo(all.size());
        // Read again from the cursor: nothing already handed out comes back. The simulator keeps settling earlier files
        // meanwhile (a returned payment is reported later), so new reports may follow, each with a later cursor.
        ExtractableResponse<Response> first = given().get("/reports?limit=1000").then().extract();
        String next = first.path("next");
        List<String> seen = first.jsonPath().getList("reports.cursor");
        ExtractableResponse<Response> again = given().get("/reports?after=" + next).then().statusCode(200).extract();
        List<String> newer = again.jsonPath().getList("reports.cursor");
        assertThat(newer).doesNotContainAnyElementsOf(seen);
        assertThat((String) again.path("next")).isEqualTo(newer.isEmpty() ? next : newer.get(newer.size() - 1));
    }

    private static List<Document> reportsAbout(String messageId, String after) throws Exception {
        List<Map<String, Object>> reports = given().get("/reports?limit=1000&after=" + after).then().statusCode(200)
                .extract().jsonPath().getList("reports");
        List<Document> documents = new ArrayList<>();
        for (Map<String, Object> r : reports) {
            if (messageId.equals(r.get("originalMessageId"))) {
                documents.add(parse((String) r.get("document")));
            }
        }
        return documents;
    }

    private static Map<String, List<String>> statuses(Document doc) {
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo(PAIN002);
        Map<String, List<String>> result = new LinkedHashMap<>();
        NodeList txs = doc.getElementsByTagNameNS(PAIN002, "TxInfAndSts");
        for (int i = 0; i < txs.getLength(); i++) {
            Element tx = (Element) txs.item(i);
            String e2e = tx.getElementsByTagNameNS(PAIN002, "OrgnlEndToEndId").item(0).getTextContent();
            String status = tx.getElementsByTagNameNS(PAIN002, "TxSts").item(0).getTextContent();
            NodeList reason = tx.getElementsByTagNameNS(PAIN002, "Cd");
            result.computeIfAbsent(e2e, k -> new ArrayList<>())
                    .add(reason.getLength() == 0 ? status : status + " " + reason.item(0).getTextContent());
        }
        return result;
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
