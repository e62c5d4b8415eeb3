package dev.merit.cluster;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On the embedded database, the process holding the leader lock file sends chain writes: a command run beside the
 * server does not, and the server's lock dies with it (kill -9 included).
 */
class FileLeadershipTest {

    /** Another process: takes the lock, says so, and holds it until killed. */
    public static void main(String[] args) throws Exception {
        FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (channel.tryLock() == null) {
            System.out.println("busy");
            return;
        }
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(120_000);
    }

    @Test
    void theProcessHoldingTheLockLeadsAndAnotherWaitsUntilItIsGone() throws Exception {
        Path dir = Files.createTempDirectory("merit-leader");
        String url = "jdbc:h2:file:" + dir.resolve("merit") + ";MODE=PostgreSQL;AUTO_SERVER=TRUE";
        assertThat(Leadership.h2File(url)).isEqualTo(dir.resolve("merit.leader.lock"));
        assertThat(Leadership.h2File("jdbc:h2:mem:x")).isNull();

        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), FileLeadershipTest.class.getName(),
                dir.resolve("merit.leader.lock").toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream()));
            assertThat(out.readLine()).isEqualTo("locked");
            Leadership command = new Leadership(url, "merit", "", 1, "command");
            assertThat(command.isLeader()).as("a command beside the server").isFalse();
            assertThat(command.campaign()).isFalse();

            server.destroyForcibly(); // kill -9
            assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(command.campaign()).as("the server is gone").isTrue();
            assertThat(command.isLeader()).isTrue();
            // Within one JVM a second holder is refused too, until the first resigns.
            Leadership second = new Leadership(url, "merit", "", 1, "second");
            assertThat(second.isLeader()).isFalse();
            command.resign();
            assertThat(second.isLeader()).isTrue();
            second.resign();
        } finally {
            server.destroyForcibly();
        }
    }
}
