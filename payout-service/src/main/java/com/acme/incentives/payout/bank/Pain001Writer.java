package com.acme.incentives.payout.bank;

import com.acme.incentives.payout.bank.BankGateway.CreditTransfer;
import com.acme.incentives.payout.domain.BankProfile;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.payout.domain.ZenginAccountType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes ISO 20022 {@code pain.001.001.09} customer credit transfer initiations: one message per bank file, one
 * payment information block per currency, {@code NbOfTxs} and {@code CtrlSum} in the group header and per block.
 */
@ApplicationScoped
public class Pain001Writer {

    public static final String PAIN001_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";
    private static final java.util.regex.Pattern HEX_32 = java.util.regex.Pattern.compile("[0-9a-fA-F]{32}");

    /** Our account, the debtor of every credit transfer. */
    public record Debtor(String name, String iban, String bic) {
    }

    private final Debtor debtor;

    @Inject
    public Pain001Writer(BankChannelSettings settings) {
        this(new Debtor(settings.debtorName(), settings.debtorIban(), settings.debtorBic()));
    }

    public Pain001Writer(Debtor debtor) {
        this.debtor = debtor;
    }

    /** The end-to-end id is limited to 35 characters: the payment UUID without its dashes (32). */
    public static String endToEndId(UUID paymentId) {
        return paymentId.toString().replace("-", "");
    }

    /** The payment an end-to-end id names; empty when it is not one of ours (32 hexadecimal digits). */
    public static java.util.Optional<UUID> paymentId(String endToEndId) {
        String h = endToEndId == null ? "" : endToEndId.trim();
        if (!HEX_32.matcher(h).matches()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(UUID.fromString(h.substring(0, 8) + "-" + h.substring(8, 12) + "-"
                + h.substring(12, 16) + "-" + h.substring(16, 20) + "-" + h.substring(20)));
    }

    /** The whole document in memory: it is stored (sealed) in the database with the payments' state changes. */
    public byte[] write(String messageId, Instant createdAt, List<CreditTransfer> transfers) {
        // Sized for ~700 bytes per transfer: a 20,000-payment run makes one ~14 MB document without regrowing.
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096 + 800 * transfers.size());
        // Buffered: the JDK's XML writer hands its stream a byte at a time, and every ByteArrayOutputStream.write is
        // synchronized (bench/payout-run's profile: a fifth of the bank file's CPU time went there).
        try (BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16)) {
            write(buffered, messageId, createdAt, transfers);
        } catch (XMLStreamException | IOException e) {
            throw new IllegalStateException("Could not write the pain.001 document", e);
        }
        return out.toByteArray();
    }

    void write(OutputStream out, String messageId, Instant createdAt, List<CreditTransfer> transfers)
            throws XMLStreamException {
        Map<String, List<CreditTransfer>> byCurrency = new TreeMap<>();
        transfers.forEach(t -> byCurrency.computeIfAbsent(t.currency(), k -> new ArrayList<>()).add(t));
        XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(out, "UTF-8");
        x.writeStartDocument("UTF-8", "1.0");
        x.writeStartElement("Document");
        x.writeDefaultNamespace(PAIN001_NS);
        x.writeStartElement("CstmrCdtTrfInitn");
        x.writeStartElement("GrpHdr");
        text(x, "MsgId", shorten(messageId));
        text(x, "CreDtTm", createdAt.atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        text(x, "NbOfTxs", String.valueOf(transfers.size()));
        text(x, "CtrlSum", sum(transfers).toPlainString());
        x.writeStartElement("InitgPty");
        text(x, "Nm", debtor.name());
        x.writeEndElement();
        x.writeEndElement(); // GrpHdr
        for (var block : byCurrency.entrySet()) {
            x.writeStartElement("PmtInf");
            text(x, "PmtInfId", shorten(messageId + "-" + block.getKey()));
            text(x, "PmtMtd", "TRF");
            text(x, "NbOfTxs", String.valueOf(block.getValue().size()));
            text(x, "CtrlSum", sum(block.getValue()).toPlainString());
            x.writeStartElement("ReqdExctnDt");
            text(x, "Dt", LocalDate.ofInstant(createdAt, ZoneOffset.UTC).toString());
            x.writeEndElement();
            x.writeStartElement("Dbtr");
            text(x, "Nm", debtor.name());
            x.writeEndElement();
            x.writeStartElement("DbtrAcct");
            x.writeStartElement("Id");
            text(x, "IBAN", debtor.iban());
            x.writeEndElement();
            x.writeEndElement();
            x.writeStartElement("DbtrAgt");
            x.writeStartElement("FinInstnId");
            text(x, "BICFI", debtor.bic());
            x.writeEndElement();
            x.writeEndElement();
            text(x, "ChrgBr", "SHAR");
            for (CreditTransfer t : block.getValue()) {
                transaction(x, t);
            }
            x.writeEndElement(); // PmtInf
        }
        x.writeEndElement();
        x.writeEndElement();
        x.writeEndDocument();
        x.flush();
    }

    private static void transaction(XMLStreamWriter x, CreditTransfer t) throws XMLStreamException {
        boolean zengin = BankProfile.ZENGIN.equals(t.accountKind());
        boolean korean = BankProfile.KR_ACCOUNT.equals(t.accountKind());
        x.writeStartElement("CdtTrfTxInf");
        x.writeStartElement("PmtId");
        text(x, "EndToEndId", endToEndId(t.paymentId()));
        x.writeEndElement();
        x.writeStartElement("Amt");
        x.writeStartElement("InstdAmt");
        x.writeAttribute("Ccy", t.currency());
        x.writeCharacters(amount(t).toPlainString());
        x.writeEndElement();
        x.writeEndElement();
        x.writeStartElement("CdtrAgt");
        x.writeStartElement("FinInstnId");
        if (zengin || korean) {
            // A domestic account is routed by its clearing code (BICFI, when the partner gave one, comes first as
            // the schema orders FinInstnId: BICFI, then ClrSysMmbId).
            if (t.bic() != null) {
                text(x, "BICFI", t.bic());
            }
            x.writeStartElement("ClrSysMmbId");
            x.writeStartElement("ClrSysId");
            if (zengin) {
                // JPZGN is the external code list's "Japan Zengin Clearing Code"; its member id is the bank code
                // followed by the branch code (7 digits), as a Zengin transfer addresses a branch.
                text(x, "Cd", "JPZGN");
                x.writeEndElement();
                text(x, "MmbId", t.bankCode() + t.branchCode());
            } else {
                // ISO 20022's ExternalClearingSystemIdentification1Code has no Korean entry, so the clearing system
                // is named in Prtry: KRBOK, the Bank of Korea's financial institution codes (the 3-digit bank codes
                // the KFTC interbank network routes by), the name Korean market practice uses for them.
                text(x, "Prtry", "KRBOK");
                x.writeEndElement();
                text(x, "MmbId", t.bankCode());
            }
            x.writeEndElement();
        } else if (t.bic() != null) {
            text(x, "BICFI", t.bic());
        } else {
            x.writeStartElement("ClrSysMmbId");
            x.writeStartElement("ClrSysId");
            text(x, "Cd", "USABA");
            x.writeEndElement();
            text(x, "MmbId", t.routingNumber());
            x.writeEndElement();
        }
        x.writeEndElement();
        x.writeEndElement();
        x.writeStartElement("Cdtr");
        // A Zengin transfer is matched against the holder's name the bank holds, in kana: that is the creditor's
        // name the receiving bank must see (the registered legal name stays in the profile's beneficiary).
        String name = zengin && t.accountHolderKana() != null ? t.accountHolderKana() : t.beneficiary();
        text(x, "Nm", name.length() > 140 ? name.substring(0, 140) : name);
        x.writeStartElement("PstlAdr");
        text(x, "Ctry", t.bankCountry());
        x.writeEndElement();
        x.writeEndElement();
        x.writeStartElement("CdtrAcct");
        x.writeStartElement("Id");
        if ("IBAN".equals(t.accountKind())) {
            text(x, "IBAN", t.account());
        } else {
            x.writeStartElement("Othr");
            text(x, "Id", t.account());
            x.writeEndElement();
        }
        x.writeEndElement();
        if (zengin && t.accountType() != null) {
            x.writeStartElement("Tp");
            text(x, "Cd", ZenginAccountType.valueOf(t.accountType()).iso20022Code());
            x.writeEndElement();
        }
        x.writeEndElement();
        x.writeStartElement("RmtInf");
        text(x, "Ustrd", t.remittance().length() > 140 ? t.remittance().substring(0, 140) : t.remittance());
        x.writeEndElement();
        x.writeEndElement(); // CdtTrfTxInf
    }

    /**
     * The amount with exactly its currency's minor unit (JPY and KRW none: 123456, never 123456.00), as banks read
     * an amount with decimals a currency does not have as an error. An amount that would need rounding is a bug of
     * the caller (payments are rounded when issued, Codes.money), never rounded silently here.
     */
    static BigDecimal amount(CreditTransfer t) {
        return t.amount().setScale(Codes.scale(t.currency()), RoundingMode.UNNECESSARY);
    }

    private static void text(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeStartElement(name);
        x.writeCharacters(value);
        x.writeEndElement();
    }

    static BigDecimal sum(List<CreditTransfer> transfers) {
        return transfers.stream().map(Pain001Writer::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Max35Text: dashes out, then at most 35 characters. */
    public static String shorten(String id) {
        String compact = id.replace("-", "");
        return compact.length() > 35 ? compact.substring(0, 35) : compact;
    }
}
