package com.acme.incentives.eligibility.domain;

import com.acme.incentives.eligibility.EligibilityMessages;
import com.acme.incentives.platform.i18n.Messages;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * One line of the checklist a partner sees. {@code since}: when met, the day the qualifying fact took effect; when not
 * met because it lapsed, the day it stopped counting; otherwise null.
 * <p>
 * The explanation is {@code reasonCode} with its values ({@code factId}, {@code date}, and the criterion's
 * {@code kind} with its {@code agreementType} or competency {@code levels}), which is what is stored and published;
 * {@code reason} is the same in words. Stored and published, it is English (the event's consumers are programs and
 * logs); the API answers it in the caller's language, made again from the code and values by {@link #inLanguage}.
 * Checklists stored before reason codes existed have only the English {@code reason} and no code: shown as they are.
 */
@Schema(name = "CriterionResult", requiredProperties = { "criterion", "met", "reason" })
public record CriterionResult(
        @Schema(description = "Stable identifier: `<TYPE>_AGREEMENT` (`MPN_AGREEMENT`…), `COMPETENCY`,"
                + " `FIRST_TRANSACTION`, or `PROGRAM_OFFERED` (met=false) for a programme that no longer applies to"
                + " the location") String criterion,
        boolean met,
        @Schema(description = "The explanation for people, in the language of the answer (Accept-Language: English,"
                + " Japanese or Korean); made from `reasonCode` and its values, which a front-end may use to write"
                + " its own. A checklist evaluated before reason codes existed has no `reasonCode` and this text in"
                + " English") String reason,
        LocalDate since,
        @Schema(description = "Why, as a stable code (absent only on checklists evaluated before codes existed)")
        ReasonCode reasonCode,
        @Schema(description = "What the criterion asks for (null for PROGRAM_OFFERED); with `agreementType` or"
                + " `levels`, what a front-end names in its own text") CriterionKind kind,
        @Schema(description = "The agreement's or competency's id the reason is about (ACTIVE, ACTIVE_UNTIL,"
                + " NOT_VALID_BEFORE, EXPIRED, TERMINATED)") String factId,
        @Schema(description = "The day the reason names: valid until (ACTIVE_UNTIL, inclusive), valid from"
                + " (NOT_VALID_BEFORE), ended on (EXPIRED, inclusive), the first transaction's date"
                + " (FIRST_TRANSACTION_IN_FUTURE, FIRST_TRANSACTION_RECORDED)") LocalDate date,
        @Schema(description = "An agreement criterion's agreement type") AgreementType agreementType,
        @Schema(description = "A competency criterion's levels, any of which counts") List<CompetencyLevel> levels) {

    public CriterionResult {
        levels = levels == null || levels.isEmpty() ? null : List.copyOf(levels);
    }

    /** A result explained by {@code code} and its values, with the reason in English (stored and published). */
    static CriterionResult explained(Criterion criterion, boolean met, LocalDate since, ReasonCode code, String factId,
            LocalDate date) {
        CriterionResult result = new CriterionResult(criterion.name(), met, null, since, code, criterion.kind(),
                factId, date, criterion.agreementType(), criterion.levels());
        return result.inLanguage(Locale.ENGLISH, null);
    }

    /** The line for a programme that no longer applies to the location (PROGRAM_OFFERED, never met). */
    public static CriterionResult programNotOffered(String programId) {
        return new CriterionResult("PROGRAM_OFFERED", false, null, null, ReasonCode.PROGRAM_NOT_OFFERED, null, null,
                null, null, null).inLanguage(Locale.ENGLISH, programId);
    }

    /**
     * This result with its reason in {@code language}; {@code programId} is the programme the checklist is for (named
     * by PROGRAM_NOT_OFFERED). Without a code (stored before codes existed) the stored English reason stays.
     */
    public CriterionResult inLanguage(Locale language, String programId) {
        if (reasonCode == null) {
            return this;
        }
        String text = switch (reasonCode) {
            case NO_FIRST_TRANSACTION, FIRST_TRANSACTION_IN_FUTURE, FIRST_TRANSACTION_RECORDED ->
                    Messages.text(language, reasonCode.text, date);
            case PROGRAM_NOT_OFFERED -> Messages.text(language, reasonCode.text, programId);
            default -> Messages.text(language, reasonCode.text, subject(language), factId, date);
        };
        return new CriterionResult(criterion, met, text, since, reasonCode, kind, factId, date, agreementType,
                levels);
    }

    /** "MPN agreement", "SILVER or GOLD competency": the types and levels are names and stay as they are. */
    private String subject(Locale language) {
        if (agreementType != null) {
            return Messages.text(language, EligibilityMessages.SUBJECT_AGREEMENT, agreementType.name());
        }
        String either = levels == null ? "" : levels.get(0).name();
        for (int i = 1; levels != null && i < levels.size(); i++) {
            either = Messages.text(language, EligibilityMessages.LEVELS_EITHER, either, levels.get(i).name());
        }
        return Messages.text(language, EligibilityMessages.SUBJECT_COMPETENCY, either);
    }
}
