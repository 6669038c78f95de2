package com.acme.incentives.payout.bank;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.util.List;

/**
 * The bank channel's HTTP API as the bank simulator offers it (base URL {@code payout.bank.url}). Answers are read
 * leniently (unknown fields ignored): the bank may add to them without asking us.
 */
@RegisterRestClient(configKey = "bank-channel")
@Path("/")
public interface BankChannelClient {

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Receipt(String messageId, boolean duplicate) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Report(String cursor, String messageId, String document) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReportPage(List<Report> reports, String next) {
    }

    @POST
    @Path("files")
    @Consumes(MediaType.APPLICATION_XML)
    @Produces(MediaType.APPLICATION_JSON)
    Receipt submit(byte[] document);

    @GET
    @Path("reports")
    @Produces(MediaType.APPLICATION_JSON)
    ReportPage reports(@QueryParam("after") String after, @QueryParam("limit") int limit);
}
