package com.acme.incentives.banksimulator;

import com.acme.incentives.banksimulator.Bank.FileView;
import com.acme.incentives.banksimulator.Bank.Received;
import com.acme.incentives.banksimulator.Bank.Report;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The simulated bank's HTTP channel. {@code POST /files} takes a pain.001 (idempotent on its MsgId),
 * {@code GET /reports?after=} hands out the pain.002 reports in order, {@code GET /files} shows what was received
 * and how often (for tests counting hand-overs), {@code PUT /push} pauses or resumes pushing reports (to exercise
 * the pull path, or a callback that is down). No authentication: it is a local stand-in, reachable on loopback only
 * (a real bank channel authenticates the sender, e.g. by mutual TLS or EBICS keys).
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class BankResource {

    @Inject
    Bank bank;

    @Inject
    ReportDelivery delivery;

    public record ReportPage(List<Report> reports, String next) {
    }

    public record Problem(int status, String detail) {
    }

    public record PushState(boolean enabled) {
    }

    @POST
    @Path("/files")
    @Consumes({ MediaType.APPLICATION_XML, MediaType.TEXT_XML })
    public Response receive(byte[] document) {
        Received received = bank.receive(document, Instant.now());
        if (received.report() != null) {
            delivery.deliver(List.of(received.report()));
        }
        return Response.status(received.receipt().duplicate() ? 200 : 202).entity(received.receipt()).build();
    }

    @GET
    @Path("/files")
    public List<FileView> files() {
        return bank.files();
    }

    @GET
    @Path("/files/{messageId}")
    public Response file(@PathParam("messageId") String messageId) {
        FileView file = bank.file(messageId);
        return file == null ? Response.status(404).entity(new Problem(404, "No message " + messageId)).build()
                : Response.ok(file).build();
    }

    /** Reports after the cursor, oldest first; {@code next} is the cursor to pass next time (unchanged if none). */
    @GET
    @Path("/reports")
    public ReportPage reports(@QueryParam("after") String after, @QueryParam("limit") @DefaultValue("100") int limit) {
        List<Report> reports = bank.reportsAfter(after, Math.max(1, Math.min(limit, 1000)));
        return new ReportPage(reports, reports.isEmpty() ? after : reports.get(reports.size() - 1).cursor());
    }

    @GET
    @Path("/push")
    public PushState push() {
        return new PushState(delivery.pushEnabled());
    }

    @PUT
    @Path("/push")
    @Consumes(MediaType.APPLICATION_JSON)
    public PushState push(PushState state) {
        delivery.pushEnabled(state.enabled());
        return new PushState(delivery.pushEnabled());
    }

    @ServerExceptionMapper
    public Response unreadable(Iso20022.UnreadableFile e) {
        return problem(400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response inconsistent(Bank.InconsistentFile e) {
        return problem(422, e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflicting(Bank.ConflictingFile e) {
        return problem(409, e.getMessage());
    }

    private static Response problem(int status, String detail) {
        return Response.status(status).type("application/problem+json")
                .entity(Map.of("status", status, "detail", detail)).build();
    }
}
