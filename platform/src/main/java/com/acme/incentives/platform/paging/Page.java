package com.acme.incentives.platform.paging;

import io.quarkus.hibernate.orm.panache.PanacheQuery;

import java.util.List;
import java.util.function.Function;

/** One page of a list: the items and where they sit in the whole. */
public record Page<T>(List<T> items, int page, int size, long totalItems, long totalPages) {

    public static <T> Page<T> of(List<T> items, PageRequest request, long totalItems) {
        long pages = totalItems == 0 ? 0 : (totalItems + request.size - 1) / request.size;
        return new Page<>(List.copyOf(items), request.page, request.size, totalItems, pages);
    }

    /** Runs a Panache query for one page and maps each entity to its DTO. */
    public static <E, T> Page<T> of(PanacheQuery<E> query, PageRequest request, Function<E, T> mapper) {
        List<T> items = query.page(request.page, request.size).list().stream().map(mapper).toList();
        return of(items, request, query.count());
    }
}
