package com.acme.incentives.payout.bank;

import com.acme.incentives.payout.bank.BankGateway.CreditTransfer;
import com.acme.incentives.payout.domain.Codes;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pain.001 as a bank reads it, parsed (namespace-aware) rather than searched as text: how each kind of account is
 * routed and identified, and amounts in each currency's minor unit (none for JPY and KRW). Every document written
 * here is first validated against ISO 20022's own pain.001.001.09 schema (src/test/resources/iso20022/README.md),
 * as a bank's front end would before reading it.
 */
class Pain001WriterTest {

    private static final String NS = Pain001Writer.PAIN001_NS;

    private static Pain001Writer writer() {
        Pain001Writer writer = new Pain001Writer(
                new Pain001Writer.Debtor("Acme Incentives", "DE89370400440532013000", "COBADEFFXXX"));
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

    @Test
    void aRunOfSeveralCurrenciesAndJapaneseNamesIsAValidPain001() throws Exception {
        UUID euros = UUID.randomUUID();
        UUID dollars = UUID.randomUUID();
        UUID yen = UUID.randomUUID();
        UUID yenWithoutKana = UUID.randomUUID();
        UUID won = UUID.randomUUID();
        UUID pounds = UUID.randomUUID();
        String longJapanese = "株式会社アクメ・ジャパン・パートナー・インセンティブ".repeat(6);
        List<CreditTransfer> transfers = List.of(
                new CreditTransfer(euros, new BigDecimal("1200.00"), "EUR", "山田商事株式会社", "IBAN",
                        "DE89370400440532013000", "COBADEFFXXX", null, null, null, null, null, "DE",
                        "2026-02 インセンティブ"),
                // A US account without a BIC is routed by its ABA routing number.
                new CreditTransfer(dollars, new BigDecimal("99.99"), "USD", "Acme Partner LLC", "ACCOUNT_NUMBER",
                        "000123456789", null, "021000021", null, null, null, null, "US", "x".repeat(200)),
                zengin(yen, new BigDecimal("500000"), "MHCBJPJTXXX", "ORDINARY"),
                new CreditTransfer(yenWithoutKana, new BigDecimal("1"), "JPY", longJapanese, "ZENGIN", "7654321",
                        null, null, "0009", "123", null, null, "JP", "パートナー報奨金"),
                korean(won, new BigDecimal("2500000")),
                new CreditTransfer(pounds, new BigDecimal("0.01"), "GBP", "Partner Ltd", "IBAN",
                        "GB29NWBK60161331926819", "NWBKGB2LXXX", null, null, null, null, null, "GB", "x"));

        Document doc = parse(writer().write("RUN-2026-02-0001", Instant.parse("2026-03-01T10:00:00Z"), transfers));

        Element initiation = child(doc.getDocumentElement(), "CstmrCdtTrfInitn");
        assertThat(text(initiation, "GrpHdr", "NbOfTxs")).isEqualTo("6");
        // One block per currency, in code order.
        List<String> blocks = new ArrayList<>();
        NodeList infos = doc.getElementsByTagNameNS(NS, "PmtInf");
        for (int i = 0; i < infos.getLength(); i++) {
            blocks.add(text((Element) infos.item(i), "PmtInfId"));
        }
        assertThat(blocks).containsExactly("RUN2026020001EUR", "RUN2026020001GBP", "RUN2026020001JPY",
                "RUN2026020001KRW", "RUN2026020001USD");
        assertThat(text(transaction(doc, euros), "Cdtr", "Nm")).isEqualTo("山田商事株式会社");
        assertThat(text(transaction(doc, euros), "RmtInf", "Ustrd")).isEqualTo("2026-02 インセンティブ");
        // Max140Text: a longer name or remittance is cut to 140 characters (kanji count as one each).
        assertThat(text(transaction(doc, yenWithoutKana), "Cdtr", "Nm")).isEqualTo(longJapanese.substring(0, 140));
        assertThat(text(transaction(doc, dollars), "RmtInf", "Ustrd")).hasSize(140);
        assertThat(text(transaction(doc, dollars), "CdtrAgt", "FinInstnId", "ClrSysMmbId", "ClrSysId", "Cd"))
                .isEqualTo("USABA");
        assertThat(text(transaction(doc, pounds), "Amt", "InstdAmt")).isEqualTo("0.01");
    }

    @Test
    void theSchemaRefusesWhatABankWouldRefuse() {
        // The check above is only worth something if the schema is really applied: elements out of the order
        // the schema gives (FinInstnId: BICFI before ClrSysMmbId) are refused.
        String outOfOrder = new String(writer().write("MSG", Instant.parse("2026-03-01T10:00:00Z"),
                List.of(zengin(UUID.randomUUID(), new BigDecimal("1000"), "MHCBJPJTXXX", "CURRENT"))),
                StandardCharsets.UTF_8)
                .replaceFirst("(<BICFI>MHCBJPJTXXX</BICFI>)(<ClrSysMmbId>.*?</ClrSysMmbId>)", "$2$1");
        assertThat(outOfOrder).contains("</ClrSysMmbId><BICFI>");
        assertThatThrownBy(() -> validate(outOfOrder.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SAXException.class).hasMessageContaining("BICFI");
    }

    private static void validate(byte[] xml) throws SAXException {
        Iso20022Schemas.validate(Iso20022Schemas.PAIN_001_001_09, xml);
    }

    /** The document, once the official schema has found it valid. */
    private static Document parse(byte[] xml) throws Exception {
        validate(xml);
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
