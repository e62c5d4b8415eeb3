package dev.merit.security;

import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Merit's own web origin, and the hosts and origins it trusts. The embedded default is {@code http://localhost:PORT},
 * the address it prints at start; behind a proxy, {@code merit.web.public-url} names the address people use. State
 * changes are accepted from these origins only (CSRF), calls trusted for coming from this machine must name this
 * machine in their Host (DNS rebinding), and Sign-In with Ethereum messages must name this origin's host.
 */
@ApplicationScoped
public class SiteOrigin {

    private static final List<String> LOCAL_NAMES = List.of("localhost", "127.0.0.1", "[::1]");

    private final WebConfig config;

    public SiteOrigin(WebConfig config) {
        this.config = config;
    }

    /** The origin Merit prints and signs in on: the public URL's, else http://localhost:PORT. */
    public String origin(int localPort) {
        return config.publicUrl().map(SiteOrigin::originOf).orElse("http://localhost:" + localPort);
    }

    /** The host[:port] of {@link #origin}: the domain Sign-In with Ethereum messages must name. */
    public String authority(int localPort) {
        return URI.create(origin(localPort)).getRawAuthority();
    }

    /** Whether a page at {@code origin} may change state here: this origin, its loopback aliases, or configured. */
    public boolean originAllowed(String origin, int localPort) {
        if (origin == null) {
            return false;
        }
        String normalised = origin.strip().toLowerCase(Locale.ROOT);
        List<String> allowed = new ArrayList<>();
        allowed.add(origin(localPort).toLowerCase(Locale.ROOT));
        for (String name : LOCAL_NAMES) {
            allowed.add("http://" + name + ":" + localPort);
        }
        config.allowedOrigins().ifPresent(list -> list.forEach(o -> allowed.add(originOf(URI.create(o.strip())))));
        return allowed.contains(normalised);
    }

    /** Whether {@code host} (a Host header) names this machine: a loopback name, the public host, or configured. */
    public boolean hostNamesThisMachine(String host, int localPort) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        for (String name : LOCAL_NAMES) {
            if (h.equals(name) || h.equals(name + ":" + localPort)) {
                return true;
            }
        }
        if (config.publicUrl().isPresent() && h.equals(authority(localPort).toLowerCase(Locale.ROOT))) {
            return true;
        }
        return config.allowedHosts().map(list -> list.stream().anyMatch(a -> a.strip().equalsIgnoreCase(h)))
                .orElse(false);
    }

    /** scheme://host[:port], lower case, without a default port, path or trailing slash. */
    static String originOf(URI uri) {
        String scheme = uri.getScheme() == null ? "http" : uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + (defaultPort ? "" : ":" + port);
    }
}
