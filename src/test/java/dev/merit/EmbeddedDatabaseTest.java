package dev.merit;

import dev.merit.support.TempPaths;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded database is the installation's own: loopback helper port, private directory, its own password. */
class EmbeddedDatabaseTest {

    static {
        // As MeritMain does before anything opens H2 (H2 reads it once).
        System.setProperty("h2.bindAddress", "127.0.0.1");
    }

    private static String url(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("merit") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;AUTO_SERVER=TRUE";
    }

    @Test
    void aNewDataDirectoryGetsItsOwnSecretAndOnlyItsOwnerMayRead() throws Exception {
        Path dir = TempPaths.directory("h2-new").resolve("data");
        String secret = EmbeddedDatabase.secret(dir);
        assertThat(secret).hasSize(64).isNotEqualTo(EmbeddedDatabase.LEGACY_PASSWORD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        Path file = dir.resolve(EmbeddedDatabase.SECRET_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(EmbeddedDatabase.secret(dir)).as("the same secret on every start").isEqualTo(secret);
        assertThat(EmbeddedDatabase.secret(TempPaths.directory("h2-other").resolve("data"))).isNotEqualTo(secret);
    }

    @Test
    void aDataDirectoryFromBeforeIsMigratedToItsOwnSecret() throws Exception {
        Path dir = TempPaths.directory("h2-legacy");
        try (Connection c = DriverManager.getConnection(url(dir), EmbeddedDatabase.USER, EmbeddedDatabase.LEGACY_PASSWORD)) {
            c.createStatement().execute("create table kept (v int)");
            c.createStatement().execute("insert into kept values (42)");
        }
        String secret = EmbeddedDatabase.secret(dir);
        assertThatThrownBy(() -> DriverManager.getConnection(url(dir), EmbeddedDatabase.USER,
                EmbeddedDatabase.LEGACY_PASSWORD).close()).isInstanceOf(SQLException.class);
        try (Connection c = DriverManager.getConnection(url(dir), EmbeddedDatabase.USER, secret)) {
            var rs = c.createStatement().executeQuery("select v from kept");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
        for (String name : new String[]{"merit.mv.db", EmbeddedDatabase.SECRET_FILE}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(name)))).as(name)
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void aMigrationInterruptedAfterThePasswordChangedFinishesOnTheNextStart() throws Exception {
        Path dir = TempPaths.directory("h2-interrupted");
        try (Connection c = DriverManager.getConnection(url(dir), EmbeddedDatabase.USER, "pending-secret")) {
            c.isValid(1);
        }
        Files.writeString(dir.resolve(EmbeddedDatabase.SECRET_FILE + ".new"), "pending-secret");
        assertThat(EmbeddedDatabase.secret(dir)).isEqualTo("pending-secret");
        assertThat(dir.resolve(EmbeddedDatabase.SECRET_FILE + ".new")).doesNotExist();
    }

    @Test
    void theHelperPortListensOnLoopbackOnly() throws Exception {
        Path dir = TempPaths.directory("h2-bind");
        Map<String, String> given = Map.of("merit.data-dir", dir.toString());
        String before = System.getProperty("quarkus.datasource.password");
        try {
            EmbeddedDatabase.prepare(given::get);
            String secret = System.getProperty("quarkus.datasource.password");
            assertThat(System.getProperty("h2.bindAddress")).isEqualTo("127.0.0.1");
            try (Connection c = DriverManager.getConnection(url(dir), EmbeddedDatabase.USER, secret)) {
                // The lock file names the port other processes reach the open database on; it answers on loopback
                // and on no other address of this machine.
                Properties lock = new Properties();
                try (var in = Files.newInputStream(dir.resolve("merit.lock.db"))) {
                    lock.load(in);
                }
                String server = lock.getProperty("server");
                int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
                try (Socket local = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    assertThat(local.isConnected()).isTrue();
                }
                List<InetAddress> others = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                        .filter(a -> !a.isLoopbackAddress() && a instanceof java.net.Inet4Address).toList();
                Assumptions.assumeFalse(others.isEmpty(), "this machine has no address but loopback");
                for (InetAddress other : others) {
                    try (Socket s = new Socket()) {
                        assertThatThrownBy(() -> s.connect(new InetSocketAddress(other, port), 1000)).as(other.toString())
                                .isInstanceOf(java.io.IOException.class);
                    }
                }
            }
        } finally {
            if (before == null) {
                System.clearProperty("quarkus.datasource.password");
            } else {
                System.setProperty("quarkus.datasource.password", before);
            }
        }
    }

    @Test
    void aConfiguredDatabaseIsLeftAlone() {
        Map<String, String> given = Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://db/merit");
        String before = System.getProperty("quarkus.datasource.password");
        EmbeddedDatabase.prepare(given::get);
        assertThat(System.getProperty("quarkus.datasource.password")).isEqualTo(before);
    }
}
