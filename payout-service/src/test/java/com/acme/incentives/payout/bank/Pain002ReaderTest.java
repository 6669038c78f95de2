package com.acme.incentives.payout.bank;

import com.acme.incentives.payout.bank.Pain002Reader.MalformedReport;
import com.acme.incentives.payout.bank.Pain002Reader.StatusReport;
import com.acme.incentives.payout.bank.Pain002Reader.TransactionStatus;
import com.acme.incentives.payout.domain.BankOutcome;
import com.acme.incentives.payout.domain.PaymentStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Reading the bank's pain.002: what is taken from it, what each status code does to a payment, and that hostile or
 * broken documents are refused.
 */
class Pain002ReaderTest {

    private static StatusReport read(String xml) {
        return Pain002Reader.read(xml.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A pain.002.001.10 report on file FILE-1 with this group status part and these transaction statuses, checked
     * against ISO 20022's schema first: the reader is tested on documents a bank may really send.
     */
    private static StatusReport readValid(String groupStatus, String transactions) throws Exception {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
                  <GrpHdr><MsgId>RPT-9</MsgId><CreDtTm>2026-03-02T08:00:00Z</CreDtTm></GrpHdr>
                  <OrgnlGrpInfAndSts><OrgnlMsgId>FILE-1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
                    %s</OrgnlGrpInfAndSts>
                  %s
                </CstmrPmtStsRpt></Document>""".formatted(groupStatus, transactions.isEmpty() ? ""
                : "<OrgnlPmtInfAndSts><OrgnlPmtInfId>FILE-1-EUR</OrgnlPmtInfId>" + transactions
                        + "</OrgnlPmtInfAndSts>");
        Iso20022Schemas.validate(Iso20022Schemas.PAIN_002_001_10, xml.getBytes(StandardCharsets.UTF_8));
        return read(xml);
    }

    private static Optional<PaymentStatus> after(PaymentStatus from, String code) {
        return from.afterBank(BankOutcome.of(code).orElseThrow());
    }

    /**
     * Every transaction status code the service knows (ISO 20022's ExternalPaymentTransactionStatus1Code list), from
     * the document to the payment: read, mapped to an outcome, and what it does to a payment in progress (in a bank
     * file), sent (accepted) and paid (settled). Blank: no change.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "ACTC, ACCEPTED, SENT,     ,         ",
            "ACCP, ACCEPTED, SENT,     ,         ",
            "ACSP, ACCEPTED, SENT,     ,         ",
            "ACWC, ACCEPTED, SENT,     ,         ",
            "ACSC, SETTLED,  PAID,     PAID,     ",
            "ACCC, SETTLED,  PAID,     PAID,     ",
            // refused: before settlement a rejection, after it the money came back
            "RJCT, REFUSED,  REJECTED, REJECTED, RETURNED",
            "RCVD, PENDING,  ,         ,         ",
            "PDNG, PENDING,  ,         ,         ",
            "ACFC, PENDING,  ,         ,         ",
            "ACWP, PENDING,  ,         ,         ",
            "ACIS, PENDING,  ,         ,         ",
            "ACPD, PENDING,  ,         ,         ",
            "PATC, PENDING,  ,         ,         ",
            "PRES, PENDING,  ,         ,         ",
            "BLCK, PENDING,  ,         ,         ",
            "CANC, PENDING,  ,         ,         " })
    void eachTransactionStatusIsReadAndMovesAPaymentAsTheCodeListSays(String code, BankOutcome outcome,
            PaymentStatus fromInProgress, PaymentStatus fromSent, PaymentStatus fromPaid) throws Exception {
        StatusReport report = readValid("", """
                <TxInfAndSts><OrgnlEndToEndId>e2e1</OrgnlEndToEndId><TxSts>%s</TxSts>
                  <AcctSvcrRef>REF-1</AcctSvcrRef></TxInfAndSts>""".formatted(code));
        assertThat(report.transactions()).containsExactly(new TransactionStatus("e2e1", code, null, "REF-1"));
        assertThat(BankOutcome.of(code)).contains(outcome);
        assertThat(after(PaymentStatus.IN_PROGRESS, code)).isEqualTo(Optional.ofNullable(fromInProgress));
        assertThat(after(PaymentStatus.SENT, code)).isEqualTo(Optional.ofNullable(fromSent));
        assertThat(after(PaymentStatus.PAID, code)).isEqualTo(Optional.ofNullable(fromPaid));
        // Nothing moves a payment out of a final state.
        for (PaymentStatus last : new PaymentStatus[] { PaymentStatus.REJECTED, PaymentStatus.RETURNED,
                PaymentStatus.FAILED }) {
            assertThat(after(last, code)).as("%s + %s", last, code).isEmpty();
        }
    }

    /**
     * A group status alone (ExternalPaymentGroupStatus1Code) is the bank's word on the whole file; the service applies
     * it to every payment of the file (BankStatusReports), so it is read with its reason and no transaction.
     */
    @ParameterizedTest
    @ValueSource(strings = { "ACTC", "ACCP", "ACSP", "ACWC", "ACSC", "RCVD", "PDNG", "RJCT" })
    void eachGroupStatusIsReadAsTheReportOnTheWholeFile(String code) throws Exception {
        StatusReport report = readValid("""
                <GrpSts>%s</GrpSts><StsRsnInf><Rsn><Cd>NARR</Cd></Rsn><AddtlInf>Whole file</AddtlInf></StsRsnInf>"""
                .formatted(code), "");
        assertThat(report.messageId()).isEqualTo("RPT-9");
        assertThat(report.originalMessageId()).isEqualTo("FILE-1");
        assertThat(report.groupStatus()).isEqualTo(code);
        assertThat(report.groupReason()).isEqualTo("NARR: Whole file");
        assertThat(report.transactions()).isEmpty();
        assertThat(BankOutcome.of(code)).isPresent();
    }

    @Test
    void aPartlyAcceptedFileIsReadWithItsTransactionsWhichAreWhatIsApplied() throws Exception {
        // PART (partially accepted) says nothing about a single payment: only its transaction statuses do.
        StatusReport report = readValid("<GrpSts>PART</GrpSts>", """
                <TxInfAndSts><OrgnlEndToEndId>e2e1</OrgnlEndToEndId><TxSts>ACCP</TxSts></TxInfAndSts>
                <TxInfAndSts><OrgnlEndToEndId>e2e2</OrgnlEndToEndId><TxSts>RJCT</TxSts>
                  <StsRsnInf><Rsn><Cd>AC04</Cd></Rsn></StsRsnInf></TxInfAndSts>""");
        assertThat(report.groupStatus()).isEqualTo("PART");
        assertThat(report.groupReason()).isNull();
        assertThat(report.transactions()).containsExactly(new TransactionStatus("e2e1", "ACCP", null, null),
                new TransactionStatus("e2e2", "RJCT", "AC04", null));
    }

    @Test
    void readsTheReportTheTransactionStatusesAndTheirReasons() {
        StatusReport report = read("""
                <?xml version="1.0" encoding="UTF-8"?>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
                  <GrpHdr><MsgId>RPT-1</MsgId><CreDtTm>2026-01-01T00:00:00Z</CreDtTm></GrpHdr>
                  <OrgnlGrpInfAndSts><OrgnlMsgId>FILE-1</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>
                  </OrgnlGrpInfAndSts>
                  <OrgnlPmtInfAndSts><OrgnlPmtInfId>FILE-1-EUR</OrgnlPmtInfId>
                    <TxInfAndSts><OrgnlEndToEndId>aa</OrgnlEndToEndId><TxSts>ACSP</TxSts>
                      <AcctSvcrRef>R1</AcctSvcrRef></TxInfAndSts>
                    <TxInfAndSts><OrgnlEndToEndId>bb</OrgnlEndToEndId><TxSts>RJCT</TxSts>
                      <StsRsnInf><Rsn><Cd>AC01</Cd></Rsn><AddtlInf>Account AT&amp;T unknown</AddtlInf></StsRsnInf>
                    </TxInfAndSts>
                  </OrgnlPmtInfAndSts>
                </CstmrPmtStsRpt></Document>""");
        assertThat(report.messageId()).isEqualTo("RPT-1");
        assertThat(report.originalMessageId()).isEqualTo("FILE-1");
        assertThat(report.groupStatus()).isNull();
        assertThat(report.transactions()).containsExactly(
                new Pain002Reader.TransactionStatus("aa", "ACSP", null, "R1"),
                new Pain002Reader.TransactionStatus("bb", "RJCT", "AC01: Account AT&T unknown", null));
    }

    @Test
    void aGroupStatusAloneIsAReportOnTheWholeMessage() {
        StatusReport report = read("""
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt>
                  <GrpHdr><MsgId>RPT-2</MsgId></GrpHdr>
                  <OrgnlGrpInfAndSts><OrgnlMsgId>FILE-2</OrgnlMsgId><GrpSts>RJCT</GrpSts>
                    <StsRsnInf><Rsn><Cd>FF01</Cd></Rsn></StsRsnInf></OrgnlGrpInfAndSts>
                </CstmrPmtStsRpt></Document>""");
        assertThat(report.groupStatus()).isEqualTo("RJCT");
        assertThat(report.groupReason()).isEqualTo("FF01");
        assertThat(report.transactions()).isEmpty();
    }

    @Test
    void entitiesAndDoctypesAreRefusedBeforeAnythingIsRead() {
        assertThatThrownBy(() -> read("""
                <?xml version="1.0"?>
                <!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
                <GrpHdr><MsgId>&xxe;</MsgId></GrpHdr></CstmrPmtStsRpt></Document>"""))
                .isInstanceOf(MalformedReport.class).hasMessageContaining("DOCTYPE");
        assertThatThrownBy(() -> read("""
                <?xml version="1.0"?>
                <!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">&b;</Document>"""))
                .isInstanceOf(MalformedReport.class);
        assertThatThrownBy(() -> read("""
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
                <GrpHdr><MsgId>&undeclared;</MsgId></GrpHdr></CstmrPmtStsRpt></Document>"""))
                .isInstanceOf(MalformedReport.class);
    }

    @Test
    void brokenOrForeignDocumentsAreMalformed() {
        assertThatThrownBy(() -> read("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.10\"><open>"))
                .isInstanceOf(MalformedReport.class).hasMessageContaining("Not well-formed XML");
        assertThatThrownBy(() -> read("<Document><open>")).isInstanceOf(MalformedReport.class);
        assertThatThrownBy(() -> read("{\"json\": true}")).isInstanceOf(MalformedReport.class);
        assertThatThrownBy(() -> read("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\"/>"))
                .isInstanceOf(MalformedReport.class).hasMessageContaining("Not a pain.002");
        assertThatThrownBy(() -> read("""
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
                <OrgnlGrpInfAndSts><OrgnlMsgId>F</OrgnlMsgId><GrpSts>ACCP</GrpSts></OrgnlGrpInfAndSts>
                </CstmrPmtStsRpt></Document>""")).isInstanceOf(MalformedReport.class).hasMessageContaining("MsgId");
        assertThatThrownBy(() -> read("""
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt>
                <GrpHdr><MsgId>R</MsgId></GrpHdr><OrgnlPmtInfAndSts><TxInfAndSts><TxSts>ACSC</TxSts></TxInfAndSts>
                </OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>""")).isInstanceOf(MalformedReport.class)
                .hasMessageContaining("OrgnlEndToEndId");
    }
}
