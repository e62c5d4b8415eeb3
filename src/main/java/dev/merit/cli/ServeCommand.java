package dev.merit.cli;

import io.quarkus.runtime.Quarkus;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import picocli.CommandLine.Command;

@Command(name = "serve", description = "Run the service: REST API, dashboard, health and metrics (the default).")
public class ServeCommand implements Runnable {

    private final int port;

    public ServeCommand(@ConfigProperty(name = "quarkus.http.port") int port) {
        this.port = port;
    }

    @Override
    public void run() {
        String base = "http://localhost:" + port;
        System.out.println("Merit is running.");
        System.out.println("  Dashboard:  " + base + "/");
        System.out.println("  API docs:   " + base + "/q/swagger-ui  (OpenAPI at " + base + "/q/openapi)");
        System.out.println("  Health:     " + base + "/q/health   Metrics: " + base + "/q/metrics");
        System.out.println("Stop with Ctrl+C.");
        Quarkus.waitForExit();
    }
}
