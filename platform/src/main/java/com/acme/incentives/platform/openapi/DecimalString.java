package com.acme.incentives.platform.openapi;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The schema of money and rates in the API contract (docs/conventions.md, "Money"): an exact decimal written as JSON
 * text, never a binary floating-point number. Fields point at it with {@code @Schema(implementation =
 * DecimalString.class)}, maps of amounts with {@code @Schema(additionalProperties = DecimalString.class)}; it is never
 * instantiated.
 */
@Schema(name = "Decimal", type = SchemaType.STRING, pattern = ApiContractFilter.DECIMAL_PATTERN,
        description = "An exact decimal as JSON text (money at its currency's scale, rates as given)",
        examples = "1250.00")
public final class DecimalString {

    private DecimalString() {
    }
}
