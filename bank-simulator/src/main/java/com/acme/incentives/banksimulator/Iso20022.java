package com.acme.incentives.banksimulator;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.XMLStreamWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the pain.001 credit transfer initiations the bank receives and writes the pain.002 reports it sends. */
final class Iso20022 {

    static final String PAIN001_PREFIX = "urn:iso:std:iso:20022:tech:xsd:pain.001.";
    static final String PAIN002_NS = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.10";

    private Iso20022() {
    }

    /**
     * One credit transfer of a received file: the block it was in, its end-to-end id, amount and creditor account,
     * and the clearing system (its {@code Cd} or {@code Prtry}) and member id that route it when the creditor agent
     * gives one ({@code CdtrAgt/FinInstnId/ClrSysMmbId}; null otherwise).
     */
    record Transfer(String paymentInfoId, String endToEndId, BigDecimal amount, String currency, String account,
            String clearingSystem, String memberId) {
    }

    /** A received pain.001: message id, the header's counts, and its transfers. */
    record Initiation(String messageId, int declaredCount, BigDecimal declaredControlSum, List<Transfer> transfers) {
    }

    /** The file cannot be read as a pain.001 (the bank refuses it at the channel). */
    static final class UnreadableFile extends RuntimeException {
        UnreadableFile(String message) {
            super(message, null, false, false);
        }
    }

    /** Parses a pain.001 without DTDs or external entities: a document with a DOCTYPE is refused. */
    static Initiation readInitiation(byte[] document) {
        try {
            XMLInputFactory factory = XMLInputFactory.newInstance();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            XMLStreamReader r = factory.createXMLStreamReader(new ByteArrayInputStream(document));
            Deque<String> path = new ArrayDeque<>();
            StringBuilder text = new StringBuilder();
            String messageId = null;
            String declaredCount = null;
            String declaredSum = null;
            String paymentInfoId = null;
            String endToEndId = null;
            String amount = null;
            String currency = null;
            String account = null;
            String clearingSystem = null;
            String memberId = null;
            List<Transfer> transfers = new ArrayList<>();
            while (r.hasNext()) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.DTD -> throw new UnreadableFile("DTDs are not accepted");
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (path.isEmpty() && (!"Document".equals(r.getLocalName()) || r.getNamespaceURI() == null
                                || !r.getNamespaceURI().startsWith(PAIN001_PREFIX))) {
                            throw new UnreadableFile("Not a pain.001 document");
                        }
                        path.push(r.getLocalName());
                        text.setLength(0);
                        if (r.getLocalName().equals("InstdAmt")) {
                            currency = r.getAttributeValue(null, "Ccy");
                        }
                        if (r.getLocalName().equals("CdtTrfTxInf")) {
                            endToEndId = amount = account = clearingSystem = memberId = null;
                        }
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> text.append(r.getText());
                    case XMLStreamConstants.END_ELEMENT -> {
                        String name = path.pop();
                        String parent = path.peek();
                        String value = text.toString().trim();
                        text.setLength(0);
                        switch (name) {
                            case "MsgId" -> messageId = "GrpHdr".equals(parent) ? value : messageId;
                            case "NbOfTxs" -> declaredCount = "GrpHdr".equals(parent) ? value : declaredCount;
                            case "CtrlSum" -> declaredSum = "GrpHdr".equals(parent) ? value : declaredSum;
                            case "PmtInfId" -> paymentInfoId = value;
                            case "EndToEndId" -> endToEndId = value;
                            case "InstdAmt" -> amount = value;
                            case "IBAN" -> account = "Id".equals(parent) && path.contains("CdtrAcct") ? value : account;
                            case "Id" -> account = "Othr".equals(parent) && path.contains("CdtrAcct") ? value : account;
                            case "Cd", "Prtry" -> clearingSystem = "ClrSysId".equals(parent)
                                    && path.contains("CdtrAgt") ? value : clearingSystem;
                            case "MmbId" -> memberId = "ClrSysMmbId".equals(parent) && path.contains("CdtrAgt")
                                    ? value : memberId;
                            case "CdtTrfTxInf" -> {
                                // An empty account id is as good as none (the schema's Max34Text/IBAN have at least
                                // one character): nothing a bank could credit.
                                if (endToEndId == null || amount == null || currency == null || account == null
                                        || account.isEmpty()) {
                                    throw new UnreadableFile("A CdtTrfTxInf lacks its EndToEndId, InstdAmt or"
                                            + " creditor account");
                                }
                                transfers.add(new Transfer(paymentInfoId, endToEndId, new BigDecimal(amount), currency,
                                        account, clearingSystem, memberId));
                            }
                            default -> {
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
            if (messageId == null || messageId.isEmpty() || declaredCount == null) {
                throw new UnreadableFile("GrpHdr/MsgId and GrpHdr/NbOfTxs are required");
            }
            return new Initiation(messageId, Integer.parseInt(declaredCount),
                    declaredSum == null ? null : new BigDecimal(declaredSum), transfers);
        } catch (XMLStreamException e) {
            throw new UnreadableFile("Not well-formed XML (line " + (e.getLocation() == null ? "?"
                    : e.getLocation().getLineNumber()) + ")");
        } catch (NumberFormatException e) {
            throw new UnreadableFile("A count or amount is not a number");
        }
    }

    /** One transaction status of a report. */
    record TxStatus(String paymentInfoId, String endToEndId, String status, String reason, String reference) {
    }

    /** Writes a pain.002.001.10 customer payment status report about one original message. */
    static String writeStatusReport(String messageId, Instant createdAt, String originalMessageId,
            int originalCount, List<TxStatus> statuses) {
        Map<String, List<TxStatus>> byBlock = new LinkedHashMap<>();
        statuses.forEach(s -> byBlock.computeIfAbsent(s.paymentInfoId() == null ? "" : s.paymentInfoId(),
                k -> new ArrayList<>()).add(s));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(out, "UTF-8");
            x.writeStartDocument("UTF-8", "1.0");
            x.writeStartElement("Document");
            x.writeDefaultNamespace(PAIN002_NS);
            x.writeStartElement("CstmrPmtStsRpt");
            x.writeStartElement("GrpHdr");
            text(x, "MsgId", messageId);
            text(x, "CreDtTm", createdAt.truncatedTo(ChronoUnit.SECONDS).toString());
            x.writeEndElement();
            x.writeStartElement("OrgnlGrpInfAndSts");
            text(x, "OrgnlMsgId", originalMessageId);
            text(x, "OrgnlMsgNmId", "pain.001.001.09");
            text(x, "OrgnlNbOfTxs", String.valueOf(originalCount));
            x.writeEndElement();
            for (var block : byBlock.entrySet()) {
                x.writeStartElement("OrgnlPmtInfAndSts");
                text(x, "OrgnlPmtInfId", block.getKey());
                for (TxStatus s : block.getValue()) {
                    x.writeStartElement("TxInfAndSts");
                    text(x, "OrgnlEndToEndId", s.endToEndId());
                    text(x, "TxSts", s.status());
                    if (s.reason() != null) {
                        x.writeStartElement("StsRsnInf");
                        x.writeStartElement("Rsn");
                        text(x, "Cd", s.reason());
                        x.writeEndElement();
                        x.writeEndElement();
                    }
                    text(x, "AcctSvcrRef", s.reference());
                    x.writeEndElement();
                }
                x.writeEndElement();
            }
            x.writeEndElement();
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("Could not write a pain.002", e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void text(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeStartElement(name);
        x.writeCharacters(value);
        x.writeEndElement();
    }
}
