package com.acme.incentives.payout.service;

import com.acme.incentives.payout.domain.PartnerLocation;
import com.acme.incentives.payout.domain.TaxProfile;
import com.acme.incentives.payout.service.EarningDtos.EarningView;
import com.acme.incentives.payout.service.PaymentQueries.PaymentView;
import com.acme.incentives.payout.service.PaymentQueries.Totals;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A statement per location and period: the period's payments with their earning lines, every payment on hold with
 * what to do about it, the period's earnings not yet in a payment, and the totals as of the period's end.
 */
@ApplicationScoped
public class StatementService {

    @Inject
    PaymentQueries payments;

    @Inject
    EarningService earnings;

    @Schema(requiredProperties = { "payment", "lines" })
    public record StatementPayment(PaymentView payment, List<EarningView> lines) {
    }

    @Schema(requiredProperties = { "partnerId", "payments", "holds", "unpaidEarnings", "totals" })
    public record LocationStatement(String partnerId, String name, String country, String taxForm, String taxId,
            List<StatementPayment> payments, List<PaymentView> holds, List<EarningView> unpaidEarnings,
            Totals totals) {
    }

    @Schema(requiredProperties = { "organizationId", "period", "locations" })
    public record Statement(UUID organizationId, String period, List<LocationStatement> locations) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Statement statement(UUID organizationId, Set<String> limitedTo, String partnerId, YearMonth period) {
        List<PartnerLocation> locations = PartnerLocation.list("organizationId = ?1 order by partnerId",
                organizationId);
        List<LocationStatement> result = new ArrayList<>();
        for (PartnerLocation location : locations) {
            if ((!limitedTo.isEmpty() && !limitedTo.contains(location.partnerId))
                    || (partnerId != null && !partnerId.equals(location.partnerId))) {
                continue;
            }
            List<PaymentView> all = payments.list(new PaymentQueries.Filter(organizationId, Set.of(),
                    location.partnerId, null, null, null, null, null));
            Map<UUID, List<EarningView>> lines = new HashMap<>();
            List<PaymentView> ofPeriod = all.stream().filter(p -> p.period().equals(period.toString())).toList();
            List<PaymentView> holds = all.stream().filter(p -> p.status().equals("ON_HOLD")).toList();
            ofPeriod.forEach(p -> lines.put(p.id(), new ArrayList<>()));
            List<EarningView> unpaid = new ArrayList<>();
            earnings.forEach(new EarningService.Filter(organizationId, Set.of(), location.partnerId, null, null, null,
                    null, null), e -> {
                        if (e.paymentId() != null && lines.containsKey(e.paymentId())) {
                            lines.get(e.paymentId()).add(e);
                        } else if (e.paymentId() == null && YearMonth.from(e.transactionDate()).equals(period)) {
                            unpaid.add(e);
                        }
                    });
            TaxProfile tax = TaxProfile.currentFor(location.partnerId).orElse(null);
            result.add(new LocationStatement(location.partnerId, location.name, location.country,
                    tax == null ? null : tax.taxForm.name(), tax == null ? null : tax.taxId,
                    ofPeriod.stream().map(p -> new StatementPayment(p, lines.get(p.id()))).toList(), holds, unpaid,
                    payments.totals(organizationId, Set.of(), location.partnerId, period)));
        }
        return new Statement(organizationId, period.toString(), result);
    }
}
