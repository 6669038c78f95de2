package com.acme.incentives.gateway.support;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A TCP relay on a local port to a real server (here Redis), which a test can close (the port then refuses
 * connections and every relayed connection is cut, as when the server dies) or slow down (every chunk in either
 * direction held back), and open again.
 */
public final class TcpProxy implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final NetClient client = vertx.createNetClient();
    private final int port;
    private final String targetHost;
    private final int targetPort;
    private final Set<NetSocket> sockets = ConcurrentHashMap.newKeySet();
    private volatile long delayMs;
    private NetServer server;

    public TcpProxy(int port, String targetHost, int targetPort) {
        this.port = port;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    public synchronized void open() {
        if (server != null) {
            return;
        }
        server = await(vertx.createNetServer().connectHandler(this::relay).listen(port, "127.0.0.1"));
    }

    /** The port stops listening and every connection through it is cut. */
    public synchronized void shut() {
        if (server == null) {
            return;
        }
        await(server.close());
        server = null;
        for (NetSocket socket : sockets) {
            await(socket.close());
        }
        sockets.clear();
    }

    public void delay(long millis) {
        delayMs = millis;
    }

    private void relay(NetSocket inbound) {
        inbound.pause();
        sockets.add(inbound);
        client.connect(targetPort, targetHost).onComplete(connected -> {
            if (connected.failed()) {
                inbound.close();
                return;
            }
            NetSocket outbound = connected.result();
            sockets.add(outbound);
            inbound.handler(data -> forward(data, outbound));
            outbound.handler(data -> forward(data, inbound));
            inbound.closeHandler(v -> outbound.close());
            outbound.closeHandler(v -> inbound.close());
            inbound.resume();
        });
    }

    private void forward(Buffer data, NetSocket to) {
        long delay = delayMs;
        if (delay > 0) {
            vertx.setTimer(delay, id -> to.write(data));
        } else {
            to.write(data);
        }
    }

    @Override
    public void close() {
        shut();
        await(vertx.close());
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
