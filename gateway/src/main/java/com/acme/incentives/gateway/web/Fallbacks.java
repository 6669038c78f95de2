package com.acme.incentives.gateway.web;

import com.acme.incentives.gateway.problem.GatewayMessages;
import com.acme.incentives.platform.problem.ProblemType;
import com.acme.incentives.gateway.problem.Problems;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** problem+json for what no route answers: an unknown path, and a failure no handler caught. */
@ApplicationScoped
public class Fallbacks {

    private static final Logger LOG = Logger.getLogger(Fallbacks.class);

    void install(@Observes Router router) {
        router.route().last().handler(ctx -> Problems.send(ctx, ProblemType.NOT_FOUND, GatewayMessages.NOTHING_AT_THIS_PATH));
        router.route().failureHandler(this::failure);
    }

    private void failure(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        int status = ctx.failure() instanceof ForbiddenException ? 403
                : ctx.failure() instanceof AuthenticationFailedException ? 401
                : ctx.statusCode();
        switch (status) {
            case 401 -> Problems.send(ctx, ProblemType.UNAUTHORIZED, GatewayMessages.AUTHENTICATION_REQUIRED);
            case 403 -> Problems.send(ctx, ProblemType.FORBIDDEN, GatewayMessages.NOT_ALLOWED);
            case 413 -> Problems.send(ctx, ProblemType.PAYLOAD_TOO_LARGE, GatewayMessages.BODY_TOO_LARGE);
            default -> {
                LOG.error("Unhandled failure at the gateway", ctx.failure());
                Problems.send(ctx, ProblemType.INTERNAL_ERROR, GatewayMessages.UNEXPECTED_ERROR);
            }
        }
    }
}
