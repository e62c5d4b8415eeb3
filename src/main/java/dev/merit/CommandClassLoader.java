package dev.merit;

import java.io.InputStream;
import java.net.URL;
import io.quarkus.smallrye.openapi.runtime.OpenApiConstants;

/**
 * What a command does not load: the OpenAPI document. A command serves no HTTP, yet Quarkus' OpenAPI extension
 * reads, parses and filters the 120 KB document it generated at build time at every start (a quarter of a second
 * on 2 cores, measured with {@code bench/cli}). Behind this class loader, which the extension asks for its
 * document before the thread's own, the document is absent, so a command starts with an empty one; every other
 * resource and class comes from the application's class loader unchanged. The server never installs it.
 */
final class CommandClassLoader extends ClassLoader {

    private CommandClassLoader(ClassLoader parent) {
        super(parent);
    }

    static void install() {
        OpenApiConstants.classLoader = new CommandClassLoader(CommandClassLoader.class.getClassLoader());
    }

    static boolean hidden(String resource) {
        return resource.startsWith(OpenApiConstants.BASE_NAME);
    }

    @Override
    public URL getResource(String name) {
        return hidden(name) ? null : super.getResource(name);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        return hidden(name) ? null : super.getResourceAsStream(name);
    }
}
