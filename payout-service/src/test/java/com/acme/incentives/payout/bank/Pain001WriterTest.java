package com.acme.incentives.payout.bank;

import com.acme.incentives.payout.bank.BankGateway.CreditTransfer;
import com.acme.incentives.payout.domain.Codes;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pain.001 as a bank reads it, parsed (namespace-aware) rather than searched as text: how each kind of account is
 * routed and identified, and amounts in each currency's minor unit (none for JPY and KRW).
 */
class Pain001WriterTest {

    private static final String NS = Pain001Writer.PAIN001_NS;

    private static Pain001Writer writer() {
        Pain001Writer writer = new Pain001Writer();
        writer.debtorName = "Acme Incentives";
        writer.debtorIban = "DE89370400440532013000";
        writer.debtorBic = "COBADEFFXXX";
        return writer;
    }

    private static CreditTransfer zengin(UUID id, BigDecimal amount, String bic, String accountType) {
        return new CreditTransfer(id, amount, "JPY", "Acme Japan K.K.", "ZENGIN", "1234567", bic, null, "0005",
                "001", accountType, "ｶ)ｱｸﾒｼﾞﾔﾊﾟﾝ", "JP", "Partner incentives");
    }

    private static CreditTransfer korean(UUID id, BigDecimal amount) {
        return new CreditTransfer(id, amount, "KRW", "Acme Korea Co., Ltd.", "KR_ACCOUNT", "12345678901", null, null,
                "004", null, null, null, "KR", "Partner incentives");
    }

    @Test
    void aZenginTransferIsRoutedByBankAndBranchCodeWithItsAccountTypeAndKanaName() throws Exception {
        UUID ordinary = UUID.randomUUID();
        UUID current = UUID.randomUUID();
        // As Disbursement hands them over: rounded to the currency's scale (JPY: none).
        Document doc = parse(writer().write("MSG-JP", Instant.parse("2026-03-01T10:00:00Z"), List.of(
                zengin(ordinary, Codes.money(new BigDecimal("123456.00"), "JPY"), null, "ORDINARY"),
                zengin(current, Codes.money(new BigDecimal("1000"), "JPY"), "MHCBJPJTXXX", "CURRENT"))));

        Element tx = transaction(doc, ordinary);
        Element amount = child(child(tx, "Amt"), "InstdAmt");
        assertThat(amount.getAttribute("Ccy")).isEqualTo("JPY");
        assertThat(amount.getTextContent()).isEqualTo("123456");
        Element agent = child(child(tx, "CdtrAgt"), "FinInstnId");
        assertThat(childNames(agent)).containsExactly("ClrSysMmbId");
        Element member = child(agent, "ClrSysMmbId");
        assertThat(childNames(child(member, "ClrSysId"))).containsExactly("Cd");
        assertThat(text(member, "ClrSysId", "Cd")).isEqualTo("JPZGN");
        assertThat(text(member, "MmbId")).isEqualTo("0005001");
        assertThat(text(tx, "Cdtr", "Nm")).isEqualTo("ｶ)ｱｸﾒｼﾞﾔﾊﾟﾝ");
        Element account = child(tx, "CdtrAcct");
        assertThat(childNames(account)).containsExactly("Id", "Tp");
        assertThat(childNames(child(account, "Id"))).containsExactly("Othr");
        assertThat(text(account, "Id", "Othr", "Id")).isEqualTo("1234567");
        assertThat(text(account, "Tp", "Cd")).isEqualTo("SVGS");

        Element other = transaction(doc, current);
        assertThat(text(other, "Amt", "InstdAmt")).isEqualTo("1000");
        // A BIC given comes first, the clearing code still routes it.
        assertThat(childNames(child(child(other, "CdtrAgt"), "FinInstnId"))).containsExactly("BICFI", "ClrSysMmbId");
        assertThat(text(other, "CdtrAgt", "FinInstnId", "BICFI")).isEqualTo("MHCBJPJTXXX");
        assertThat(text(other, "CdtrAcct", "Tp", "Cd")).isEqualTo("CACC");

        // Sums in whole yen too, in the header and the JPY block.
        assertThat(text(doc.getDocumentElement(), "CstmrCdtTrfInitn", "GrpHdr", "CtrlSum")).isEqualTo("124456");
        Element block = child(doc.getDocumentElement(), "CstmrCdtTrfInitn", "PmtInf");
        assertThat(text(block, "PmtInfId")).isEqualTo("MSGJPJPY");
        assertThat(text(block, "CtrlSum")).isEqualTo("124456");
        assertThat(text(block, "NbOfTxs")).isEqualTo("2");
    }

    @Test
    void aKoreanTransferIsRoutedByItsBankCodeInWholeWon() throws Exception {
        UUID id = UUID.randomUUID();
        UUID euros = UUID.randomUUID();
        Document doc = parse(writer().write("MSG-KR", Instant.parse("2026-03-01T10:00:00Z"), List.of(
                korean(id, new BigDecimal("1500000.00")),
                new CreditTransfer(euros, new BigDecimal("10.5"), "EUR", "Partner GmbH", "IBAN",
                        "DE89370400440532013000", "COBADEFFXXX", null, null, null, null, null, "DE", "x"))));

        Element tx = transaction(doc, id);
        assertThat(child(tx, "Amt", "InstdAmt").getAttribute("Ccy")).isEqualTo("KRW");
        assertThat(text(tx, "Amt", "InstdAmt")).isEqualTo("1500000");
        Element member = child(tx, "CdtrAgt", "FinInstnId", "ClrSysMmbId");
        assertThat(childNames(child(member, "ClrSysId"))).containsExactly("Prtry");
        assertThat(text(member, "ClrSysId", "Prtry")).isEqualTo("KRBOK");
        assertThat(text(member, "MmbId")).isEqualTo("004");
        assertThat(text(tx, "Cdtr", "Nm")).isEqualTo("Acme Korea Co., Ltd.");
        assertThat(text(tx, "Cdtr", "PstlAdr", "Ctry")).isEqualTo("KR");
        Element account = child(tx, "CdtrAcct");
        assertThat(childNames(account)).containsExactly("Id");
        assertThat(text(account, "Id", "Othr", "Id")).isEqualTo("12345678901");

        // The euro transfer keeps its cents (and its IBAN and BIC), each currency in a block of its own.
        Element eur = transaction(doc, euros);
        assertThat(text(eur, "Amt", "InstdAmt")).isEqualTo("10.50");
        assertThat(text(eur, "CdtrAcct", "Id", "IBAN")).isEqualTo("DE89370400440532013000");
        assertThat(childNames(child(eur, "CdtrAgt", "FinInstnId"))).containsExactly("BICFI");
        assertThat(doc.getElementsByTagNameNS(NS, "PmtInf").getLength()).isEqualTo(2);
    }

    @Test
    void anAmountWithDecimalsItsCurrencyDoesNotHaveIsNeverRoundedSilently() {
        assertThatThrownBy(() -> writer().write("MSG", Instant.now(),
                List.of(korean(UUID.randomUUID(), new BigDecimal("100.5"))))).isInstanceOf(ArithmeticException.class);
    }

    private static Document parse(byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo(NS);
        return doc;
    }

    /** The CdtTrfTxInf of this payment (by its end-to-end id). */
    private static Element transaction(Document doc, UUID paymentId) {
        NodeList txs = doc.getElementsByTagNameNS(NS, "CdtTrfTxInf");
        for (int i = 0; i < txs.getLength(); i++) {
            Element tx = (Element) txs.item(i);
            if (text(tx, "PmtId", "EndToEndId").equals(Pain001Writer.endToEndId(paymentId))) {
                return tx;
            }
        }
        throw new AssertionError("No CdtTrfTxInf for " + paymentId);
    }

    /** The one child element at this path (each step a direct child in the pain.001 namespace). */
    private static Element child(Element parent, String... path) {
        Element current = parent;
        for (String name : path) {
            Element found = null;
            for (Node n = current.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && NS.equals(e.getNamespaceURI()) && name.equals(e.getLocalName())) {
                    assertThat(found).as("one " + name + " in " + current.getLocalName()).isNull();
                    found = e;
                }
            }
            assertThat(found).as(name + " in " + current.getLocalName()).isNotNull();
            current = found;
        }
        return current;
    }

    private static String text(Element parent, String... path) {
        return child(parent, path).getTextContent();
    }

    private static List<String> childNames(Element parent) {
        List<String> names = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                names.add(e.getLocalName());
            }
        }
        return names;
    }
}
