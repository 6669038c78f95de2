package com.acme.incentives.payout.bank;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes ISO 20022 {@code pain.001.001.09} customer credit transfer initiations (one file per message, one payment
 * information block per currency) to {@code <dir>/outbound}, and reads {@code pain.002.001.10} payment status reports
 * from {@code <dir>/inbound}, moving each read file to {@code <dir>/processed}. The file is written to a temporary
 * name and renamed, so a bank channel never picks up half a file.
 */
@ApplicationScoped
public class Pain001FileBankGateway implements BankGateway {

    private static final Logger LOG = Logger.getLogger(Pain001FileBankGateway.class);
    static final String PAIN001_NS = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09";

    @ConfigProperty(name = "payout.bank.directory")
    Path directory;

    @ConfigProperty(name = "payout.bank.debtor-name")
    String debtorName;

    @ConfigProperty(name = "payout.bank.debtor-iban")
    String debtorIban;

    @ConfigProperty(name = "payout.bank.debtor-bic")
    String debtorBic;

    /** The end-to-end id is limited to 35 characters: the payment UUID without its dashes (32). */
    public static String endToEndId(UUID paymentId) {
        return paymentId.toString().replace("-", "");
    }

    static UUID paymentId(String endToEndId) {
        String h = endToEndId.trim();
        return UUID.fromString(h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-"
                + h.substring(16, 20) + "-" + h.substring(20));
    }

    @Override
    public String submit(String messageId, List<CreditTransfer> transfers) {
        try {
            Path outbound = Files.createDirectories(directory.resolve("outbound"));
            Path target = outbound.resolve("pain001-" + messageId + ".xml");
            Path temporary = outbound.resolve(".pain001-" + messageId + ".xml.tmp");
            // Buffered: the XML writer emits many small pieces, one system call each without a buffer (bench/ profile).
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(temporary), 64 * 1024)) {
                write(out, messageId, transfers);
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target.toString();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write the pain.001 file", e);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Could not write the pain.001 file", e);
        }
    }

    void write(OutputStream out, String messageId, List<CreditTransfer> transfers) throws XMLStreamException {
        Map<String, List<CreditTransfer>> byCurrency = new TreeMap<>();
        transfers.forEach(t -> byCurrency.computeIfAbsent(t.currency(), k -> new ArrayList<>()).add(t));
        XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(out, "UTF-8");
        x.writeStartDocument("UTF-8", "1.0");
        x.writeStartElement("Document");
        x.writeDefaultNamespace(PAIN001_NS);
        x.writeStartElement("CstmrCdtTrfInitn");
        x.writeStartElement("GrpHdr");
        text(x, "MsgId", shorten(messageId));
        text(x, "CreDtTm", OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS)
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        text(x, "NbOfTxs", String.valueOf(transfers.size()));
        text(x, "CtrlSum", sum(transfers).toPlainString());
        x.writeStartElement("InitgPty");
        text(x, "Nm", debtorName);
        x.writeEndElement();
        x.writeEndElement(); // GrpHdr
        for (var block : byCurrency.entrySet()) {
            x.writeStartElement("PmtInf");
            text(x, "PmtInfId", shorten(messageId + "-" + block.getKey()));
            text(x, "PmtMtd", "TRF");
            text(x, "NbOfTxs", String.valueOf(block.getValue().size()));
            text(x, "CtrlSum", sum(block.getValue()).toPlainString());
            x.writeStartElement("ReqdExctnDt");
            text(x, "Dt", LocalDate.now(ZoneOffset.UTC).toString());
            x.writeEndElement();
            x.writeStartElement("Dbtr");
            text(x, "Nm", debtorName);
            x.writeEndElement();
            x.writeStartElement("DbtrAcct");
            x.writeStartElement("Id");
            text(x, "IBAN", debtorIban);
            x.writeEndElement();
            x.writeEndElement();
            x.writeStartElement("DbtrAgt");
            x.writeStartElement("FinInstnId");
            text(x, "BICFI", debtorBic);
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
        x.writeStartElement("CdtTrfTxInf");
        x.writeStartElement("PmtId");
        text(x, "EndToEndId", endToEndId(t.paymentId()));
        x.writeEndElement();
        x.writeStartElement("Amt");
        x.writeStartElement("InstdAmt");
        x.writeAttribute("Ccy", t.currency());
        x.writeCharacters(t.amount().toPlainString());
        x.writeEndElement();
        x.writeEndElement();
        x.writeStartElement("CdtrAgt");
        x.writeStartElement("FinInstnId");
        if (t.bic() != null) {
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
        text(x, "Nm", t.beneficiary().length() > 140 ? t.beneficiary().substring(0, 140) : t.beneficiary());
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
        x.writeEndElement();
        x.writeStartElement("RmtInf");
        text(x, "Ustrd", t.remittance().length() > 140 ? t.remittance().substring(0, 140) : t.remittance());
        x.writeEndElement();
        x.writeEndElement(); // CdtTrfTxInf
    }

    @Override
    public List<StatusUpdate> fetchStatusUpdates() {
        Path inbound = directory.resolve("inbound");
        if (!Files.isDirectory(inbound)) {
            return List.of();
        }
        List<StatusUpdate> updates = new ArrayList<>();
        try (Stream<Path> files = Files.list(inbound)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".xml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    updates.addAll(readStatusReport(in));
                } catch (XMLStreamException | RuntimeException e) {
                    LOG.errorf("Bank status report %s is unreadable (%s); left in place for a person to look at",
                            file, e.getMessage());
                    continue;
                }
                Path processed = Files.createDirectories(directory.resolve("processed"));
                Files.move(file, processed.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read bank status reports", e);
        }
        return updates;
    }

    /**
     * Reads the transaction statuses of a pain.002: ACSC/ACCC/ACSP/ACCP/ACWC mean accepted (sent); RJCT means refused,
     * which the service turns into REJECTED for a payment in progress and REVERSED for one already sent.
     */
    static List<StatusUpdate> readStatusReport(InputStream in) throws XMLStreamException {
        XMLInputFactory factory = XMLInputFactory.newInstance();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false); // no external entities from a file we did not write
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        XMLStreamReader r = factory.createXMLStreamReader(in);
        List<StatusUpdate> updates = new ArrayList<>();
        String endToEnd = null;
        String status = null;
        String reference = null;
        String reason = null;
        boolean inTx = false;
        String element = null;
        while (r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                element = r.getLocalName();
                if (element.equals("TxInfAndSts")) {
                    inTx = true;
                    endToEnd = status = reference = reason = null;
                }
            } else if (event == XMLStreamConstants.CHARACTERS && inTx && element != null) {
                String value = r.getText().trim();
                if (value.isEmpty()) {
                    continue;
                }
                switch (element) {
                    case "OrgnlEndToEndId" -> endToEnd = value;
                    case "TxSts" -> status = value;
                    case "AcctSvcrRef" -> reference = value;
                    case "Cd" -> reason = reason == null ? value : reason;
                    case "AddtlInf" -> reason = reason == null ? value : reason + ": " + value;
                    default -> {
                    }
                }
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                element = null;
                if (r.getLocalName().equals("TxInfAndSts")) {
                    inTx = false;
                    if (endToEnd != null && status != null) {
                        Outcome outcome = switch (status) {
                            case "ACSC", "ACCC", "ACSP", "ACCP", "ACWC" -> Outcome.ACCEPTED;
                            case "RJCT" -> Outcome.REJECTED;
                            default -> null; // pending (PDNG, RCVD): nothing to record yet
                        };
                        if (outcome != null) {
                            updates.add(new StatusUpdate(paymentId(endToEnd), outcome, reference, reason));
                        }
                    }
                }
            }
        }
        return updates;
    }

    private static void text(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeStartElement(name);
        x.writeCharacters(value);
        x.writeEndElement();
    }

    private static BigDecimal sum(List<CreditTransfer> transfers) {
        return transfers.stream().map(CreditTransfer::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static String shorten(String id) {
        String compact = id.replace("-", "");
        return compact.length() > 35 ? compact.substring(0, 35) : compact;
    }
}
