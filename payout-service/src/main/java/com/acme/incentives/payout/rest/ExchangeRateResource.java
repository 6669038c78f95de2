package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.domain.Periods;
import com.acme.incentives.payout.service.ExchangeRateService;
import com.acme.incentives.platform.openapi.DecimalString;
import com.acme.incentives.platform.security.Capabilities;
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
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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
    public record ExchangeRates(
            @Schema(description = "Currency code to US dollars per unit, as decimal strings",
                    additionalProperties = DecimalString.class,
                    examples = "{\"EUR\": \"1.0850\", \"GBP\": \"1.2710\"}")
            @NotNull @NotEmpty Map<String, String> rates) {
    }

    @Schema(requiredProperties = { "period", "rates" })
    public record ExchangeRatesView(String period,
            @Schema(additionalProperties = DecimalString.class) Map<String, String> rates) {
    }

    @Inject
    ExchangeRateService rates;

    @Inject
    Caller caller;

    @PUT
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Operation(operationId = "putExchangeRates",
            summary = "Set a month's exchange rates (replaces the month's whole set; USD is always 1)")
    @APIResponse(responseCode = "200", description = "The month's rates")
    public ExchangeRatesView put(@PathParam("period") @Parameter(description = "A month", schema = @Schema(type = SchemaType.STRING, pattern = Periods.PATTERN, examples = "2026-10")) String period, @Valid @NotNull ExchangeRates body) {
        return view(period, rates.replace(MonthParams.required("period", period), body.rates(), caller.subject()));
    }

    @GET
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "getExchangeRates", summary = "Read a month's exchange rates",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "The month's rates (empty when none are set)")
    public ExchangeRatesView get(@PathParam("period") @Parameter(description = "A month", schema = @Schema(type = SchemaType.STRING, pattern = Periods.PATTERN, examples = "2026-10")) String period) {
        return view(period, rates.rates(MonthParams.required("period", period)));
    }

    private static ExchangeRatesView view(String period, Map<String, BigDecimal> rates) {
        Map<String, String> text = new TreeMap<>();
        rates.forEach((k, v) -> text.put(k, v.toPlainString()));
        return new ExchangeRatesView(period, text);
    }
}
