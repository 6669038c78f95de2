package com.acme.incentives.eligibility.service;

import com.acme.incentives.eligibility.EligibilityMessages;
import com.acme.incentives.eligibility.domain.Criterion;
import com.acme.incentives.eligibility.domain.CriterionKind;
import com.acme.incentives.eligibility.domain.PartnerType;
import com.acme.incentives.eligibility.domain.Program;
import com.acme.incentives.eligibility.service.ProgramDtos.CriterionInput;
import com.acme.incentives.eligibility.service.ProgramDtos.ProgramInput;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Programmes and their criteria; a change marks every affected location for re-evaluation by the boundary job. */
@ApplicationScoped
@Transactional
public class ProgramService {

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    Jdbi jdbi;

    public record Saved(Program program, boolean created) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Program find(String id) {
        Program program = Program.findById(id);
        if (program == null) {
            throw ApiException.notFound(EligibilityMessages.PROGRAMME_NOT_FOUND, id);
        }
        return program;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public PanacheQuery<Program> list(PageRequest page) {
        return Program.findAll(page.sort(Sort.by("id")));
    }

    public Saved put(String id, ProgramInput input, String actor) {
        List<Criterion> criteria = criteria(input.criteria());
        List<String> countries = countries(input.countries());
        Program program = Program.findById(id);
        boolean created = program == null;
        PartnerType previousType = created ? input.partnerType() : program.partnerType;
        List<String> previousCountries = created ? countries : countries(program);
        if (created) {
            program = new Program();
            program.id = id;
            program.revision = 1;
        } else {
            program.revision++;
        }
        program.name = input.name().trim();
        program.partnerType = input.partnerType();
        program.countries = write(countries);
        program.criteria = write(criteria);
        program.active = input.active() == null || input.active();
        program.updatedAt = clock.instant();
        program.updatedBy = actor;
        program.persist();
        program.flush();
        // Takes effect for every location: those of the old and new partner type, and any that had a checklist for
        // it, are due today. The boundary job evaluates them in chunks right after this commits.
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        // A programme limited to countries before and after only concerns locations in those countries.
        boolean everyCountry = countries.isEmpty() || previousCountries.isEmpty();
        Set<String> concerned = new LinkedHashSet<>(previousCountries);
        concerned.addAll(countries);
        try (Handle h = jdbi.open()) {
            h.createUpdate("""
                    UPDATE partner_location SET next_evaluation_on = :today
                    WHERE ((partner_type = ANY(:partnerTypes::text[])
                            AND (:everyCountry OR country = ANY(:countries::text[])))
                        OR partner_id IN (SELECT partner_id FROM eligibility WHERE program_id = :programId))
                      AND (next_evaluation_on IS NULL OR next_evaluation_on > :today)""")
                    .bind("today", today)
                    .bindArray("partnerTypes", String.class, previousType.name(), input.partnerType().name())
                    .bind("everyCountry", everyCountry)
                    .bindArray("countries", String.class, concerned)
                    .bind("programId", id)
                    .execute();
        } catch (JdbiException e) {
            throw new IllegalStateException("Eligibility statement failed", e);
        }
        return new Saved(program, created);
    }

    public List<Criterion> criteria(Program program) {
        try {
            return json.readValue(program.criteria, new TypeReference<List<Criterion>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Programme " + program.id + " has unreadable criteria", e);
        }
    }

    public List<String> countries(Program program) {
        try {
            return json.readValue(program.countries, new TypeReference<List<String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Programme " + program.id + " has unreadable countries", e);
        }
    }

    private static List<Criterion> criteria(List<CriterionInput> inputs) {
        List<FieldViolation> errors = new ArrayList<>();
        List<Criterion> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            CriterionInput input = inputs.get(i);
            String at = "criteria[" + i + "]";
            if (input.kind() == CriterionKind.AGREEMENT && input.agreementType() == null) {
                errors.add(FieldViolation.of(at + ".agreementType", EligibilityMessages.AGREEMENT_TYPE_REQUIRED));
                continue;
            }
            if (input.kind() != CriterionKind.AGREEMENT && input.agreementType() != null) {
                errors.add(FieldViolation.of(at + ".agreementType", EligibilityMessages.AGREEMENT_TYPE_NOT_APPLICABLE));
                continue;
            }
            boolean hasLevels = input.levels() != null && !input.levels().isEmpty();
            if (input.kind() == CriterionKind.COMPETENCY && !hasLevels) {
                errors.add(FieldViolation.of(at + ".levels", EligibilityMessages.LEVELS_REQUIRED));
                continue;
            }
            if (input.kind() != CriterionKind.COMPETENCY && hasLevels) {
                errors.add(FieldViolation.of(at + ".levels", EligibilityMessages.LEVELS_NOT_APPLICABLE));
                continue;
            }
            Criterion criterion = new Criterion(input.kind(), input.agreementType(),
                    hasLevels ? List.copyOf(new LinkedHashSet<>(input.levels())) : List.of());
            if (!names.add(criterion.name())) {
                errors.add(FieldViolation.of(at, EligibilityMessages.CRITERION_LISTED_TWICE, criterion.name()));
                continue;
            }
            result.add(criterion);
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return result;
    }

    private static List<String> countries(List<String> countries) {
        if (countries == null) {
            return List.of();
        }
        List<FieldViolation> errors = new ArrayList<>();
        for (int i = 0; i < countries.size(); i++) {
            if (!COUNTRIES.contains(countries.get(i))) {
                errors.add(FieldViolation.of("countries[" + i + "]", EligibilityMessages.UNKNOWN_COUNTRY));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return List.copyOf(new LinkedHashSet<>(countries));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
