package com.acme.incentives.eligibility.rest;

import com.acme.incentives.eligibility.service.FeedDtos;
import com.acme.incentives.eligibility.EligibilityMessages;
import com.acme.incentives.eligibility.service.FeedDtos.AgreementRecord;
import com.acme.incentives.eligibility.service.FeedDtos.CompetencyRecord;
import com.acme.incentives.eligibility.service.FeedDtos.FeedBatch;
import com.acme.incentives.eligibility.service.FeedDtos.FeedResult;
import com.acme.incentives.eligibility.service.FeedDtos.FirstTransactionRecord;
import com.acme.incentives.eligibility.domain.FactStatus;
import com.acme.incentives.eligibility.service.FactStore.AgreementRow;
import com.acme.incentives.eligibility.service.FactStore.CompetencyRow;
import com.acme.incentives.eligibility.service.FactStore.FirstTransactionRow;
import com.acme.incentives.eligibility.service.FeedService;
import com.acme.incentives.eligibility.service.FeedService.FeedOutcome;
import com.acme.incentives.platform.idempotency.Idempotent;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

/**
 * Batches from partner systems: up to {@value FeedDtos#MAX_BATCH_ROWS} agreement, competency and first-transaction
 * rows in one request. All or nothing: one bad row answers 400 naming it (e.g. {@code agreements[17].validTo}) and
 * nothing of the batch is applied, so a feed can fix the row and resend the same batch without working out which
 * rows already went in.
 */
@Path("/api/v1/feeds/batches")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Partner feeds")
public class FeedBatchResource {

    @Inject
    FeedService feed;

    @POST
    @RolesAllowed(Roles.PARTNER_FEED)
    @Idempotent
    @Operation(operationId = "postFeedBatch",
            summary = "Upsert a batch of agreements, competencies and first transactions (partner feeds)")
    @APIResponse(responseCode = "200", description = "Applied (all rows, or with any bad row none: 400 naming each)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = FeedDtos.FeedResult.class)))
    public Response post(@Valid @NotNull FeedBatch body) {
        int rows = body.agreements().size() + body.competencies().size() + body.firstTransactions().size();
        if (rows == 0) {
            throw ApiException.invalidField("body", EligibilityMessages.BATCH_EMPTY);
        }
        if (rows > FeedDtos.MAX_BATCH_ROWS) {
            throw ApiException.invalidField("body", EligibilityMessages.BATCH_TOO_LARGE, rows,
                    FeedDtos.MAX_BATCH_ROWS);
        }
        FeedValidation validation = new FeedValidation();
        List<AgreementRow> agreements = new ArrayList<>(body.agreements().size());
        for (int i = 0; i < body.agreements().size(); i++) {
            AgreementRecord r = body.agreements().get(i);
            String at = "agreements[" + i + "]";
            validation.dates(at, r.validFrom(), r.validTo());
            validation.unique(at, "agreementId", "A " + r.partnerId() + " " + r.agreementId());
            agreements.add(new AgreementRow(r.partnerId(), r.agreementId(), r.type(), r.status(), r.validFrom(),
                    r.validTo()));
        }
        List<CompetencyRow> competencies = new ArrayList<>(body.competencies().size());
        for (int i = 0; i < body.competencies().size(); i++) {
            CompetencyRecord r = body.competencies().get(i);
            String at = "competencies[" + i + "]";
            validation.dates(at, r.validFrom(), r.validTo());
            validation.unique(at, "competencyId", "C " + r.partnerId() + " " + r.competencyId());
            competencies.add(new CompetencyRow(r.partnerId(), r.competencyId(), r.name().trim(), r.level(),
                    r.status() == null ? FactStatus.ACTIVE : r.status(), r.validFrom(), r.validTo()));
        }
        List<FirstTransactionRow> firstTransactions = new ArrayList<>(body.firstTransactions().size());
        for (int i = 0; i < body.firstTransactions().size(); i++) {
            FirstTransactionRecord r = body.firstTransactions().get(i);
            validation.unique("firstTransactions[" + i + "]", "partnerId", "F " + r.partnerId());
            firstTransactions.add(new FirstTransactionRow(r.partnerId(), r.date()));
        }
        validation.check();
        FeedOutcome outcome = feed.apply(agreements, competencies, firstTransactions, "BATCH_FED");
        return Response.ok(new FeedResult(rows, outcome.rowsChanged(), outcome.locationsChanged(),
                outcome.eligibilityChanges(), outcome.pendingPartnerIds())).build();
    }
}
