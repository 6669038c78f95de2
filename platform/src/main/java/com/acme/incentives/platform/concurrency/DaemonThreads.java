package com.acme.incentives.platform.concurrency;

import java.util.concurrent.ThreadFactory;

/**
 * Threads for a service's own background pools: daemons, so a pool a bean forgot to shut down never keeps the JVM
 * from stopping, and named, so a thread dump or a log line says which pool a thread belongs to.
 */
public final class DaemonThreads {

    private DaemonThreads() {
    }

    public static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
