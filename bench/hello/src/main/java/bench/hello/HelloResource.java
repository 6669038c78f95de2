package bench.hello;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** One trivial read: no security, no database, a small JSON body like the services' answers. */
@Path("/hello")
public class HelloResource {

    public record Hello(String partnerId, boolean eligible) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Hello hello() {
        return new Hello("5000000000", true);
    }
}
