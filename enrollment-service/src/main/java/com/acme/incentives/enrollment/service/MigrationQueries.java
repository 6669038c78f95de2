package com.acme.incentives.enrollment.service;

import com.acme.incentives.enrollment.domain.MigrationStatus;
import com.acme.incentives.enrollment.domain.MigrationWave;
import com.acme.incentives.enrollment.domain.WaveOrganization;
import com.acme.incentives.platform.paging.PageRequest;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads of migration waves and organizations' migrations. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class MigrationQueries {

    public PanacheQuery<MigrationWave> waves(PageRequest page) {
        return MigrationWave.findAll(page.sort(Sort.by("createdAt", Sort.Direction.Descending).and("id")));
    }

    public MigrationWave wave(UUID id) {
        return MigrationWave.findById(id);
    }

    public List<WaveOrganization> organizations(UUID waveId) {
        return WaveOrganization.list("waveId = ?1 order by organizationId", waveId);
    }

    public WaveOrganization ofOrganization(UUID organizationId) {
        return WaveOrganization.ofOrganization(organizationId);
    }

    /** How many of the wave's organizations are in each state (every state listed, zeros included). */
    public Map<String, Long> statusCounts(UUID waveId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (MigrationStatus status : MigrationStatus.values()) {
            counts.put(status.name(), 0L);
        }
        List<Object[]> rows = WaveOrganization.getEntityManager().createQuery(
                "select w.status, count(w) from WaveOrganization w where w.waveId = ?1 group by w.status",
                Object[].class).setParameter(1, waveId).getResultList();
        for (Object[] row : rows) {
            counts.put(((MigrationStatus) row[0]).name(), (Long) row[1]);
        }
        return counts;
    }
}
