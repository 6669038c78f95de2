package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.domain.Periods;
import com.acme.incentives.payout.service.ExchangeRateService;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

@Path("/api/v1/exchange-rates/{period}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Exchange rates")
public class ExchangeRateResource {

    /** {@code rates}: currency code to US dollars per unit, as decimal strings ("1.0850"). */
    public record ExchangeRates(@NotNull @NotEmpty Map<String, String> rates) {
    }

    public record ExchangeRatesView(String period, Map<String, String> rates) {
    }

    @Inject
    ExchangeRateService rates;

    @Inject
    Caller caller;

    @PUT
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Operation(summary = "Set a month's exchange rates (replaces the month's whole set; USD is always 1)")
    public ExchangeRatesView put(@PathParam("period") String period, @Valid @NotNull ExchangeRates body) {
        check(period);
        return view(period, rates.replace(period, body.rates(), caller.subject()));
    }

    @GET
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER })
    @Operation(summary = "Read a month's exchange rates")
    public ExchangeRatesView get(@PathParam("period") String period) {
        check(period);
        return view(period, rates.rates(period));
    }

    private static void check(String period) {
        if (Periods.parse(period).isEmpty()) {
            throw ApiException.invalidField("period", "must be a month YYYY-MM");
        }
    }

    private static ExchangeRatesView view(String period, Map<String, BigDecimal> rates) {
        Map<String, String> text = new TreeMap<>();
        rates.forEach((k, v) -> text.put(k, v.toPlainString()));
        return new ExchangeRatesView(period, text);
    }
}
