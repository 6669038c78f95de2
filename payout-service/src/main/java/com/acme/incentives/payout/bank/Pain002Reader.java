package com.acme.incentives.payout.bank;

import com.acme.incentives.platform.i18n.Languages;
import com.acme.incentives.platform.i18n.Messages;
import com.acme.incentives.payout.PayoutMessages;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Reads ISO 20022 {@code pain.002} customer payment status reports (any pain.002.001.x version: the elements read
 * are the same). The parser is safe for documents we did not write: no DTD is accepted (a DOCTYPE is refused before
 * anything is read), so no entity, internal or external, is ever expanded.
 */
public final class Pain002Reader {

    static final String PAIN002_PREFIX = "urn:iso:std:iso:20022:tech:xsd:pain.002.";

    private Pain002Reader() {
    }

    /** One transaction status: the original end-to-end id, the status code, the reason (code[: text]). */
    public record TransactionStatus(String endToEndId, String status, String reason, String bankReference) {
    }

    /**
     * A report: its own message id, the message it reports on, the group status (set when the bank reports on the
     * whole message, e.g. refuses it) with its reason, and the transaction statuses.
     */
    public record StatusReport(String messageId, String originalMessageId, String groupStatus, String groupReason,
            List<TransactionStatus> transactions) {
    }

    /**
     * Not a readable pain.002; the message says what is wrong, in our words (in English, for the log; {@link #key()}
     * and {@link #args()} tell it in a client's language).
     */
    public static final class MalformedReport extends RuntimeException {
        private final PayoutMessages key;
        private final Object[] args;

        MalformedReport(PayoutMessages key, Object... args) {
            super(Messages.text(Languages.DEFAULT, key, args), null, false, false);
            this.key = key;
            this.args = args;
        }

        public PayoutMessages key() {
            return key;
        }

        public Object[] args() {
            return args.clone();
        }
    }

    public static StatusReport read(byte[] document) {
        try {
            XMLInputFactory factory = XMLInputFactory.newInstance();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            XMLStreamReader r = factory.createXMLStreamReader(new ByteArrayInputStream(document));
            Deque<String> path = new ArrayDeque<>();
            StringBuilder text = new StringBuilder();
            String messageId = null;
            String originalMessageId = null;
            String groupStatus = null;
            String groupCode = null;
            String groupInfo = null;
            String endToEnd = null;
            String status = null;
            String code = null;
            String info = null;
            String reference = null;
            List<TransactionStatus> transactions = new ArrayList<>();
            boolean root = true;
            while (r.hasNext()) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.DTD -> throw new MalformedReport(PayoutMessages.REPORT_DOCTYPE);
                    case XMLStreamConstants.START_ELEMENT -> {
                        if (root) {
                            String ns = r.getNamespaceURI();
                            if (!"Document".equals(r.getLocalName()) || ns == null || !ns.startsWith(PAIN002_PREFIX)) {
                                throw new MalformedReport(PayoutMessages.REPORT_NOT_PAIN002, PAIN002_PREFIX);
                            }
                            root = false;
                        }
                        path.push(r.getLocalName());
                        text.setLength(0);
                        if (r.getLocalName().equals("TxInfAndSts")) {
                            endToEnd = status = code = info = reference = null;
                        }
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA -> text.append(r.getText());
                    case XMLStreamConstants.END_ELEMENT -> {
                        String name = path.pop();
                        String value = text.toString().trim();
                        text.setLength(0);
                        boolean inTx = path.contains("TxInfAndSts");
                        boolean inGroup = path.contains("OrgnlGrpInfAndSts");
                        switch (name) {
                            case "MsgId" -> messageId = "GrpHdr".equals(path.peek()) ? value : messageId;
                            case "OrgnlMsgId" -> originalMessageId = inGroup ? value : originalMessageId;
                            case "GrpSts" -> groupStatus = inGroup ? value : groupStatus;
                            case "OrgnlEndToEndId" -> endToEnd = inTx ? value : endToEnd;
                            case "TxSts" -> status = inTx ? value : status;
                            case "AcctSvcrRef" -> reference = inTx ? value : reference;
                            case "Cd", "Prtry" -> {
                                if (path.contains("StsRsnInf") && "Rsn".equals(path.peek())) {
                                    if (inTx && code == null) {
                                        code = value;
                                    } else if (inGroup && groupCode == null) {
                                        groupCode = value;
                                    }
                                }
                            }
                            case "AddtlInf" -> {
                                if (inTx && info == null) {
                                    info = value;
                                } else if (inGroup && groupInfo == null) {
                                    groupInfo = value;
                                }
                            }
                            case "TxInfAndSts" -> {
                                if (endToEnd == null || endToEnd.isEmpty() || status == null || status.isEmpty()) {
                                    throw new MalformedReport(PayoutMessages.REPORT_TRANSACTION_INCOMPLETE);
                                }
                                transactions.add(new TransactionStatus(endToEnd, status, reason(code, info),
                                        reference));
                            }
                            default -> {
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
            if (messageId == null || messageId.isEmpty()) {
                throw new MalformedReport(PayoutMessages.REPORT_MESSAGE_ID_MISSING);
            }
            if (transactions.isEmpty() && groupStatus == null) {
                throw new MalformedReport(PayoutMessages.REPORT_WITHOUT_STATUS);
            }
            return new StatusReport(messageId, originalMessageId, groupStatus, reason(groupCode, groupInfo),
                    List.copyOf(transactions));
        } catch (XMLStreamException e) {
            throw e.getLocation() == null ? new MalformedReport(PayoutMessages.REPORT_NOT_XML)
                    : new MalformedReport(PayoutMessages.REPORT_NOT_XML_AT, e.getLocation().getLineNumber(),
                            e.getLocation().getColumnNumber());
        }
    }

    private static String reason(String code, String info) {
        if (code == null) {
            return info;
        }
        return info == null ? code : code + ": " + info;
    }
}
