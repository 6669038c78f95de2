package com.acme.incentives.payout.bank;

import com.acme.incentives.payout.bank.Pain002Reader.MalformedReport;
import com.acme.incentives.payout.bank.Pain002Reader.StatusReport;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading the bank's pain.002: what is taken from it, and that hostile or broken documents are refused. */
class Pain002ReaderTest {

    private static StatusReport read(String xml) {
        return Pain002Reader.read(xml.getBytes(StandardCharsets.UTF_8));
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
