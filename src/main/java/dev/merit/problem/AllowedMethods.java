package dev.merit.problem;

import io.quarkus.arc.Arc;
import jakarta.enterprise.inject.Any;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The methods Merit's resources take at a path, for a 405's Allow header (RFC 9110, 15.5.6: a server must say them):
 * read once from the resources' JAX-RS annotations, as the router matched them.
 */
final class AllowedMethods {

    private record Route(Pattern path, String method) {
    }

    private static volatile List<Route> routes;

    private AllowedMethods() {
    }

    /** "GET, POST": what {@code path} takes, in alphabetical order; empty when no resource serves it. */
    static String at(String path) {
        Set<String> methods = new TreeSet<>();
        for (Route r : routes()) {
            if (r.path().matcher(path).matches()) {
                methods.add(r.method());
            }
        }
        if (methods.contains("GET")) {
            methods.add("HEAD"); // the router answers HEAD wherever it answers GET
        }
        return String.join(", ", methods);
    }

    private static List<Route> routes() {
        List<Route> known = routes;
        if (known == null) {
            known = new ArrayList<>();
            for (var bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
                Class<?> type = bean.getBeanClass();
                Path base = type.getAnnotation(Path.class);
                if (base == null) {
                    continue;
                }
                for (Method m : type.getMethods()) {
                    Path sub = m.getAnnotation(Path.class);
                    for (Annotation a : m.getAnnotations()) {
                        HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
                        if (http != null) {
                            known.add(new Route(template(base.value() + (sub == null ? "" : "/" + sub.value())),
                                    http.value()));
                        }
                    }
                }
            }
            routes = known;
        }
        return known;
    }

    /** "/api/epochs/{id}" as a pattern of the paths it serves ("{id: \\d+}" keeps its own pattern). */
    static Pattern template(String template) {
        String path = ("/" + template).replaceAll("/+", "/").replaceAll("(.)/$", "$1");
        StringBuilder regex = new StringBuilder();
        int at = 0;
        while (at < path.length()) {
            int open = path.indexOf('{', at);
            if (open < 0) {
                regex.append(Pattern.quote(path.substring(at)));
                break;
            }
            regex.append(Pattern.quote(path.substring(at, open)));
            int close = path.indexOf('}', open);
            String inside = path.substring(open + 1, close);
            int colon = inside.indexOf(':');
            regex.append(colon < 0 ? "[^/]+" : "(?:" + inside.substring(colon + 1).strip() + ")");
            at = close + 1;
        }
        return Pattern.compile(regex + "/?");
    }
}
