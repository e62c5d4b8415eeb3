package dev.merit.security;

import io.vertx.core.http.HttpServerRequest;
import dev.merit.problem.ProblemException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets per client address: {@code perMinute} requests a minute, refilled continuously, bursts up to the
 * same number. Refusals are 429 problems that say when to retry. In memory, per replica.
 */
public final class RateLimiter {

    private record Bucket(double tokens, long at) {
    }

    private final String what;
    private final int perMinute;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;

    public RateLimiter(String what, int perMinute) {
        this(what, perMinute, System::nanoTime);
    }

    /** With the clock it reads, in nanoseconds (tests step it through a window instead of sleeping). */
    RateLimiter(String what, int perMinute, LongSupplier nanoTime) {
        this.what = what;
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
    }

    /** The client address of a request, as the limits count it ("?" when the server cannot tell). */
    public static String client(HttpServerRequest http) {
        return http == null || http.remoteAddress() == null ? "?" : key(http.remoteAddress().hostAddress());
    }

    /**
     * An IPv4 address as it is; an IPv6 address by its /64 network, the block one subscriber gets: counted one by one,
     * a single client would have 2^64 addresses, each with a fresh limit.
     */
    static String key(String address) {
        if (address == null || address.indexOf(':') < 0) {
            return address == null ? "?" : address;
        }
        try {
            byte[] bytes = java.net.InetAddress.getByName(address).getAddress();
            if (bytes.length != 16) {
                return address;
            }
            StringBuilder net = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                net.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return net.append(":/64").toString();
        } catch (java.net.UnknownHostException e) {
            return address;
        }
    }

    public void acquire(String client) {
        if (perMinute <= 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (buckets.size() > 100_000) {
            buckets.entrySet().removeIf(e -> now - e.getValue().at() > 60_000_000_000L);
        }
        double perNano = perMinute / 60e9;
        boolean[] allowed = new boolean[1];
        buckets.compute(client == null ? "?" : client, (k, b) -> {
            double tokens = b == null ? perMinute : Math.min(perMinute, b.tokens() + (now - b.at()) * perNano);
            allowed[0] = tokens >= 1;
            return new Bucket(allowed[0] ? tokens - 1 : tokens, now);
        });
        if (!allowed[0]) {
            long retry = Math.max(1, (long) Math.ceil(60.0 / perMinute));
            throw new ProblemException(ProblemException.Kind.TOO_MANY, "rate-limited", "Too many requests", "Too many " + what + " requests from "
                    + "this address: at most " + perMinute + " a minute. Retry in " + retry + " s.",
                    Map.of("retryAfterSeconds", retry));
        }
    }
}
