package com.acme.incentives.banksimulator;

import com.acme.incentives.banksimulator.Iso20022.Initiation;
import com.acme.incentives.banksimulator.Iso20022.Transfer;
import com.acme.incentives.banksimulator.Iso20022.TxStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The simulated bank: takes pain.001 files (once per message id: a file handed over again is counted, not paid
 * again), decides each transfer by the configured rules, and produces pain.002 reports, some at once and some later.
 * Everything is in memory: a restart forgets what was received, and its report cursors start a new epoch so a
 * client holding an old cursor reads the new reports from the beginning.
 */
@ApplicationScoped
public class Bank {

    private static final Logger LOG = Logger.getLogger(Bank.class);

    @Inject
    SimulatorConfig config;

    /** Changes at every start: a cursor of another epoch means "from the beginning". */
    private final String epoch = UUID.randomUUID().toString().substring(0, 8);
    private final Map<String, ReceivedFile> files = new LinkedHashMap<>();
    private final List<Report> reports = new ArrayList<>();
    private final PriorityQueue<Scheduled> scheduled = new PriorityQueue<>((a, b) -> a.dueAt.compareTo(b.dueAt));
    private long reportSequence;

    /** A received message and how many times it was handed over. */
    static final class ReceivedFile {
        final String messageId;
        final String sha256;
        final Instant receivedAt;
        final int transfers;
        final Map<String, BigDecimal> controlSums;
        final Map<String, Integer> statuses = new TreeMap<>();
        int receipts;

        ReceivedFile(String messageId, String sha256, Instant receivedAt, int transfers,
                Map<String, BigDecimal> controlSums) {
            this.messageId = messageId;
            this.sha256 = sha256;
            this.receivedAt = receivedAt;
            this.transfers = transfers;
            this.controlSums = controlSums;
        }
    }

    /** A report as kept for pulling: {@code cursor} is what a client passes as {@code after} to read past it. */
    public record Report(String cursor, String messageId, String originalMessageId, Instant createdAt,
            Map<String, Integer> statuses, String document) {
    }

    public record FileView(String messageId, Instant receivedAt, int transfers, Map<String, BigDecimal> controlSums,
            int receipts, Map<String, Integer> statuses) {
    }

    public record Receipt(String messageId, int transfers, boolean duplicate, int receipts) {
    }

    /** The same message id with other content: a bank refuses it rather than guess which one is meant. */
    static final class ConflictingFile extends RuntimeException {
        ConflictingFile(String message) {
            super(message, null, false, false);
        }
    }

    /** Header counts that do not match the transfers: the bank refuses the whole file. */
    static final class InconsistentFile extends RuntimeException {
        InconsistentFile(String message) {
            super(message, null, false, false);
        }
    }

    private record Scheduled(Instant dueAt, String originalMessageId, int originalCount, List<TxStatus> statuses) {
    }

    /** Receives a pain.001; returns the report made at once (null for a duplicate) with the receipt. */
    public synchronized Received receive(byte[] document, Instant now) {
        Initiation file = Iso20022.readInitiation(document);
        String hash = sha256(document);
        ReceivedFile known = files.get(file.messageId());
        if (known != null) {
            if (!known.sha256.equals(hash)) {
                throw new ConflictingFile("Message " + file.messageId() + " was received before with other content");
            }
            known.receipts++;
            LOG.infof("pain.001 %s handed over again (receipt %d): already processed, nothing paid again",
                    file.messageId(), known.receipts);
            return new Received(new Receipt(file.messageId(), known.transfers, true, known.receipts), null);
        }
        BigDecimal sum = file.transfers().stream().map(Transfer::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (file.declaredCount() != file.transfers().size()
                || (file.declaredControlSum() != null && file.declaredControlSum().compareTo(sum) != 0)) {
            throw new InconsistentFile("NbOfTxs/CtrlSum of " + file.messageId() + " say " + file.declaredCount() + "/"
                    + file.declaredControlSum() + " but the file holds " + file.transfers().size() + "/" + sum);
        }
        Map<String, BigDecimal> sums = new TreeMap<>();
        file.transfers().forEach(t -> sums.merge(t.currency(), t.amount(), BigDecimal::add));
        ReceivedFile received = new ReceivedFile(file.messageId(), hash, now, file.transfers().size(), sums);
        received.receipts = 1;
        files.put(file.messageId(), received);
        LOG.infof("pain.001 %s received: %d transfers, control sums %s", file.messageId(), file.transfers().size(),
                sums);

        List<TxStatus> now0 = new ArrayList<>();
        List<TxStatus> settle = new ArrayList<>();
        List<TxStatus> giveBack = new ArrayList<>();
        for (Transfer t : file.transfers()) {
            String reference = "SIM" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase();
            String schemeReason = domesticSchemeProblem(t);
            if (schemeReason != null) {
                now0.add(new TxStatus(t.paymentInfoId(), t.endToEndId(), "RJCT", schemeReason, reference));
                LOG.infof("  %s %s %s to account %s: RJCT %s (not a valid %s account)", t.endToEndId(),
                        t.amount().toPlainString(), t.currency(), masked(t.account()), schemeReason,
                        t.clearingSystem());
                continue;
            }
            if (endsWithAny(t.account(), config.rejectAccountSuffixes())) {
                now0.add(new TxStatus(t.paymentInfoId(), t.endToEndId(), "RJCT", config.rejectReason(), reference));
                LOG.infof("  %s %s %s to account %s: RJCT %s (account ends in a refused suffix)", t.endToEndId(),
                        t.amount().toPlainString(), t.currency(), masked(t.account()), config.rejectReason());
                continue;
            }
            now0.add(new TxStatus(t.paymentInfoId(), t.endToEndId(), "ACSP", null, reference));
            settle.add(new TxStatus(t.paymentInfoId(), t.endToEndId(), "ACSC", null, reference));
            boolean returned = endsWithAny(t.account(), config.returnAccountSuffixes());
            if (returned) {
                giveBack.add(new TxStatus(t.paymentInfoId(), t.endToEndId(), "RJCT", config.returnReason(), reference));
            }
            LOG.infof("  %s %s %s to account %s: ACSP now, ACSC in %s%s", t.endToEndId(), t.amount().toPlainString(),
                    t.currency(), masked(t.account()), config.settleAfter(), returned
                            ? ", then returned (RJCT " + config.returnReason() + ") " + config.returnAfter() + " later"
                            : "");
        }
        Report first = addReport(file.messageId(), file.transfers().size(), now0, now);
        if (!settle.isEmpty()) {
            Instant settledAt = now.plus(config.settleAfter());
            scheduled.add(new Scheduled(settledAt, file.messageId(), file.transfers().size(), settle));
            if (!giveBack.isEmpty()) {
                scheduled.add(new Scheduled(settledAt.plus(config.returnAfter()), file.messageId(),
                        file.transfers().size(), giveBack));
            }
        }
        return new Received(new Receipt(file.messageId(), file.transfers().size(), false, 1), first);
    }

    public record Received(Receipt receipt, Report report) {
    }

    /** Turns the reports whose time has come into kept reports; returns them (for pushing) in due order. */
    public synchronized List<Report> releaseDue(Instant now) {
        List<Report> released = new ArrayList<>();
        while (!scheduled.isEmpty() && !scheduled.peek().dueAt.isAfter(now)) {
            Scheduled s = scheduled.poll();
            released.add(addReport(s.originalMessageId, s.originalCount, s.statuses, now));
        }
        return released;
    }

    private Report addReport(String originalMessageId, int originalCount, List<TxStatus> statuses, Instant now) {
        long sequence = ++reportSequence;
        String messageId = "SIM-" + epoch + "-" + sequence;
        String document = Iso20022.writeStatusReport(messageId, now, originalMessageId, originalCount, statuses);
        Map<String, Integer> counts = statuses.stream()
                .collect(Collectors.toMap(TxStatus::status, s -> 1, Integer::sum, TreeMap::new));
        Report report = new Report(epoch + "." + sequence, messageId, originalMessageId, now, counts, document);
        reports.add(report);
        ReceivedFile file = files.get(originalMessageId);
        if (file != null) {
            counts.forEach((status, n) -> file.statuses.merge(status, n, Integer::sum));
        }
        LOG.infof("pain.002 %s about %s: %s", messageId, originalMessageId, counts);
        return report;
    }

    /** Reports after {@code cursor} (null, or one of another epoch: from the first), at most {@code limit}. */
    public synchronized List<Report> reportsAfter(String cursor, int limit) {
        long after = 0;
        if (cursor != null && cursor.startsWith(epoch + ".")) {
            try {
                after = Long.parseLong(cursor.substring(epoch.length() + 1));
            } catch (NumberFormatException e) {
                after = 0;
            }
        }
        // Sequences start at 1 and are never removed: report n sits at index n - 1.
        int from = (int) Math.min(after, reports.size());
        return List.copyOf(reports.subList(from, Math.min(reports.size(), from + limit)));
    }

    public synchronized List<FileView> files() {
        return files.values().stream().map(Bank::view).toList();
    }

    public synchronized FileView file(String messageId) {
        ReceivedFile f = files.get(messageId);
        return f == null ? null : view(f);
    }

    private static FileView view(ReceivedFile f) {
        return new FileView(f.messageId, f.receivedAt, f.transfers, Map.copyOf(f.controlSums), f.receipts,
                Map.copyOf(f.statuses));
    }

    /**
     * What a domestic clearing system would refuse in a transfer routed by it: a Zengin (JPZGN) transfer needs the
     * 7-digit bank + branch code and a 7-digit account number, paid in JPY; a Korean one (KRBOK) the 3-digit bank
     * code and a 10 to 14-digit account number, paid in KRW. Returns the ISO reason code (RC01: bank identifier
     * incorrect; AC01: incorrect account number; AM03: currency not allowed by the scheme), or null when the transfer
     * is routed otherwise (BIC, ABA) or is valid.
     */
    static String domesticSchemeProblem(Transfer t) {
        String system = t.clearingSystem();
        String member = t.memberId() == null ? "" : t.memberId();
        if ("JPZGN".equals(system)) {
            return !member.matches("[0-9]{7}") ? "RC01" : !t.account().matches("[0-9]{7}") ? "AC01"
                    : !"JPY".equals(t.currency()) ? "AM03" : null;
        }
        if ("KRBOK".equals(system)) {
            return !member.matches("[0-9]{3}") ? "RC01" : !t.account().matches("[0-9]{10,14}") ? "AC01"
                    : !"KRW".equals(t.currency()) ? "AM03" : null;
        }
        return null;
    }

    static boolean endsWithAny(String account, List<String> suffixes) {
        return suffixes.stream().anyMatch(s -> !s.isBlank() && account.endsWith(s.trim()));
    }

    /** Account numbers never appear whole in a log line. */
    static String masked(String account) {
        return account.length() <= 4 ? "…" : "…" + account.substring(account.length() - 4);
    }

    private static String sha256(byte[] document) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
