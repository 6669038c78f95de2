package com.acme.incentives.platform.selftest;

import com.acme.incentives.platform.idempotency.Idempotent;
import io.agroal.api.AgroalDataSource;
import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The test application's one operation: an idempotent POST that writes a row, as the services' creations do. */
@Path("/selftest/orders")
@Authenticated
public class SelftestOrders {

    public record NewOrder(String item, int quantity) {
    }

    public record Order(long id, String item, int quantity) {
    }

    @Inject
    AgroalDataSource dataSource;

    @POST
    @Idempotent
    @Transactional
    public Response create(NewOrder order) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO selftest_order (item, quantity) VALUES (?, ?) RETURNING id")) {
            insert.setString(1, order.item());
            insert.setInt(2, order.quantity());
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                return Response.created(URI.create("/selftest/orders/" + id))
                        .entity(new Order(id, order.item(), order.quantity())).type(MediaType.APPLICATION_JSON)
                        .build();
            }
        }
    }
}
