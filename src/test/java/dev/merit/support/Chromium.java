package dev.merit.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One look at a dashboard page in headless Chromium, for a test that reads one page as a person sees it, without a
 * browser session of its own (DashboardBrowserTest drives one, with clicks and a wallet).
 */
public final class Chromium {

    private Chromium() {
    }

    /** The text of the page at {@code url} once its scripts have run (up to 8 s of the page's time). */
    public static String text(String url) throws IOException, InterruptedException {
        String binary = System.getProperty("merit.chromium", "/usr/bin/chromium");
        ProcessBuilder pb = new ProcessBuilder(List.of(binary, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--virtual-time-budget=8000", "--dump-dom", url))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(Map.of("TMPDIR", TempPaths.directory("merit-chromium").toString()));
        Process p = pb.start();
        byte[] dom = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("Chromium did not finish with " + url);
        }
        String html = new String(dom, StandardCharsets.UTF_8);
        int main = html.indexOf("<main");
        String body = main < 0 ? html : html.substring(main);
        return body.replaceAll("(?s)<script.*?</script>", " ").replaceAll("<[^>]+>", " ").replace("&nbsp;", " ")
                .replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&").replaceAll("\\s+", " ").strip();
    }
}
