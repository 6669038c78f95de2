package com.acme.incentives.payout;

import com.acme.incentives.platform.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import org.eclipse.microprofile.config.ConfigProvider;

import java.math.BigInteger;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;

/** The bank side of the payout tests: pain.002 reports as a bank writes them, the simulator's read API, IBANs. */
public final class BankFixture {

    public static final String REPORTS = "/api/v1/bank/status-reports";

    private BankFixture() {
    }

    /** One transaction status of a report: the payment (end-to-end id), TxSts, reason code (or null), reference. */
    public record Tx(String paymentId, String status, String reason, String reference) {
        public static Tx of(String paymentId, String status) {
            return new Tx(paymentId, status, null, "REF-" + status);
        }
    }

    public static String newReportId() {
        return "RPT-" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    /** A pain.002.001.10 about {@code originalMessageId} (may be any text) with these transaction statuses. */
    public static String pain002(String reportId, String originalMessageId, List<Tx> transactions) {
        StringBuilder txs = new StringBuilder();
        for (Tx t : transactions) {
            String reason = t.reason() == null ? ""
                    : "<StsRsnInf><Rsn><Cd>" + t.reason() + "</Cd></Rsn></StsRsnInf>";
            txs.append("""
                      <TxInfAndSts>
                        <OrgnlEndToEndId>%s</OrgnlEndToEndId>
                        <TxSts>%s</TxSts>
                        %s
                        <AcctSvcrRef>%s</AcctSvcrRef>
                      </TxInfAndSts>
                    """.formatted(t.paymentId().replace("-", ""), t.status(), reason, t.reference()));
        }
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
                  <CstmrPmtStsRpt>
                    <GrpHdr><MsgId>%s</MsgId><CreDtTm>2026-01-01T00:00:00Z</CreDtTm></GrpHdr>
                    <OrgnlGrpInfAndSts><OrgnlMsgId>%s</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>
                    <OrgnlPmtInfAndSts>
                      <OrgnlPmtInfId>X-EUR</OrgnlPmtInfId>
                %s    </OrgnlPmtInfAndSts>
                  </CstmrPmtStsRpt>
                </Document>""".formatted(reportId, originalMessageId, txs);
    }

    /**
     * A pain.002.001.10 with only a group status: the bank's word on the whole file {@code originalMessageId}
     * (its GrpHdr/MsgId), with a reason code or null.
     */
    public static String pain002Group(String originalMessageId, String groupStatus, String reason) {
        String why = reason == null ? "" : "<StsRsnInf><Rsn><Cd>" + reason + "</Cd></Rsn></StsRsnInf>";
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
                  <CstmrPmtStsRpt>
                    <GrpHdr><MsgId>%s</MsgId><CreDtTm>2026-01-01T00:00:00Z</CreDtTm></GrpHdr>
                    <OrgnlGrpInfAndSts><OrgnlMsgId>%s</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
                      <GrpSts>%s</GrpSts>%s</OrgnlGrpInfAndSts>
                  </CstmrPmtStsRpt>
                </Document>""".formatted(newReportId(), originalMessageId, groupStatus, why);
    }

    public static String pain002(String paymentId, String status, String reason, String reference) {
        return pain002(newReportId(), "X", List.of(new Tx(paymentId, status, reason, reference)));
    }

    /** Delivers a report as the bank connector does (role BANK_CONNECTOR). */
    public static Response deliver(String xml) {
        return given().auth().oauth2(TestTokens.bankConnector()).contentType("application/xml").body(xml)
                .post(REPORTS);
    }

    /** Requests to the running bank simulator (its read API: GET /files, /files/{messageId}, /reports; PUT /push). */
    public static RequestSpecification simulator() {
        URI base = URI.create(ConfigProvider.getConfig().getValue("payout.bank.url", String.class));
        return RestAssured.given().baseUri(base.getScheme() + "://" + base.getHost()).port(base.getPort()).basePath("");
    }

    /**
     * A valid German IBAN (ISO 13616 check digits) whose account number ends in {@code digits}: the simulator decides
     * by the account's last digits (13 refused, 99 returned after settlement).
     */
    public static String germanIbanEndingIn(String digits) {
        String account = String.format("%010d", ThreadLocalRandom.current().nextLong(0, 10_000_000_000L));
        account = account.substring(0, 10 - digits.length()) + digits;
        String bban = "37040044" + account;
        // DE = 13 14; check digits = 98 - (bban + "131400") mod 97
        int check = 98 - new BigInteger(bban + "131400").mod(BigInteger.valueOf(97)).intValue();
        return "DE" + String.format("%02d", check) + bban;
    }
}
