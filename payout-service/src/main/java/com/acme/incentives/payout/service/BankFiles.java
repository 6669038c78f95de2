package com.acme.incentives.payout.service;

import com.acme.incentives.payout.encryption.FieldEncryption;
import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.platform.openapi.DecimalString;
import com.acme.incentives.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/** Read side of bank files: a run's files with their state, and one file's document for an operator to download. */
@ApplicationScoped
public class BankFiles {

    @Inject
    Jdbi jdbi;

    @Inject
    FieldEncryption encryption;

    /**
     * One bank file as operators see it: ids, never a location. {@code controlSums} per currency (money as
     * strings); {@code attempts} and {@code lastError} show a hand-over the bank has not taken yet.
     */
    @Schema(name = "BankFile", requiredProperties = { "id", "messageId", "state", "transferCount", "controlSums",
            "createdAt", "attempts" })
    public record BankFileView(UUID id, String messageId,
            @Schema(type = SchemaType.STRING, enumeration = { "READY", "SUBMITTED", "ACKNOWLEDGED" }) String state,
            int transferCount,
            @Schema(additionalProperties = DecimalString.class) Map<String, String> controlSums, Instant createdAt,
            Instant submittedAt, Instant acknowledgedAt,
            int attempts, String lastError) {
    }

    public record Document(String messageId, byte[] content) {
    }

    /** One row of {@link #ofRuns}' query: a file with one of its currency totals (none: currency null). */
    private record FileRow(UUID id, String messageId, String state, int transferCount, Instant createdAt,
            Instant submittedAt, Instant acknowledgedAt, int attempts, String lastError, String currency,
            BigDecimal controlSum, UUID runId) {
    }

    public List<BankFileView> ofRun(UUID runId) {
        return ofRuns(List.of(runId)).get(runId);
    }

    /** The bank files of each run given (one query; a run without any: an empty list). */
    public Map<UUID, List<BankFileView>> ofRuns(List<UUID> runIds) {
        Map<UUID, List<BankFileView>> result = new HashMap<>();
        runIds.forEach(id -> result.put(id, new ArrayList<>()));
        if (runIds.isEmpty()) {
            return result;
        }
        try (Handle h = jdbi.open()) {
            Map<UUID, BankFileView> files = new LinkedHashMap<>();
            h.createQuery("""
                    SELECT f.id, f.message_id, f.state, f.transfer_count, f.created_at, f.submitted_at,
                           f.acknowledged_at, f.attempts, f.last_error, t.currency, t.control_sum, f.payout_run_id
                    FROM bank_file f LEFT JOIN bank_file_total t ON t.bank_file_id = f.id
                    WHERE f.payout_run_id = ANY(:runIds) ORDER BY f.created_at, f.id, t.currency""")
                    .bindArray("runIds", UUID.class, runIds)
                    .map((rs, ctx) -> new FileRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                            rs.getInt(4), instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)),
                            instant(rs.getTimestamp(7)), rs.getInt(8), rs.getString(9), rs.getString(10),
                            rs.getBigDecimal(11), rs.getObject(12, UUID.class)))
                    .forEach(row -> {
                        BankFileView file = files.get(row.id());
                        if (file == null) {
                            file = new BankFileView(row.id(), row.messageId(), row.state(), row.transferCount(),
                                    new TreeMap<>(), row.createdAt(), row.submittedAt(), row.acknowledgedAt(),
                                    row.attempts(), row.lastError());
                            files.put(row.id(), file);
                            result.get(row.runId()).add(file);
                        }
                        String currency = row.currency();
                        if (currency != null) {
                            file.controlSums().put(currency,
                                    Codes.money(row.controlSum(), currency).toPlainString());
                        }
                    });
            return result;
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not read the runs' bank files", e);
        }
    }

    /** The pain.001 document as it was handed to the bank; 404 unless the file belongs to that run. */
    public Document document(UUID runId, UUID fileId) {
        Optional<Document> stored;
        try (Handle h = jdbi.open()) {
            stored = h.createQuery(
                    "SELECT message_id, content FROM bank_file WHERE id = :fileId AND payout_run_id = :runId")
                    .bind("fileId", fileId)
                    .bind("runId", runId)
                    .map((rs, ctx) -> new Document(rs.getString(1), rs.getBytes(2)))
                    .findFirst();
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not read the bank file", e);
        }
        Document sealed = stored.orElseThrow(() -> ApiException.notFound(PayoutMessages.BANK_FILE_NOT_FOUND, fileId,
                runId));
        return new Document(sealed.messageId(), encryption.open(sealed.content()));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
