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

    /**
     * After an unclean stop the file is rebuilt from what H2 recovered: the same rows, a new file (the one from before
     * kept beside it), owner-only. (The half-committed, locked rows this undoes come from H2 itself; CrashRecoveryIT
     * kills an ingest at its commit.)
     */
    @Test
    void aDatabaseLeftUncleanIsRebuiltWithTheSameRows() throws Exception {
        Path dir = TempPaths.directory("h2-rebuild").resolve("data");
        String secret = EmbeddedDatabase.secret(dir);
        try (Connection c = DriverManager.getConnection(EmbeddedDatabase.url(dir), EmbeddedDatabase.USER, secret)) {
            c.createStatement().execute("create table t (id bigint primary key, name varchar(40))");
            c.createStatement().execute("create index t_name on t (name)");
            try (var insert = c.prepareStatement("insert into t values (?, ?)")) {
                for (int i = 1; i <= 500; i++) {
                    insert.setLong(1, i);
                    insert.setString(2, "n" + i);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        // What a kill during the rebuild leaves: its marker (the rebuild is due whatever the lock file says).
        Files.writeString(dir.resolve(EmbeddedRebuild.MARKER), "");
        EmbeddedDatabase.open(dir, secret);
        assertThat(dir.resolve(EmbeddedRebuild.MARKER)).doesNotExist();
        assertThat(dir.resolve(EmbeddedRebuild.BEFORE)).exists();
        assertThat(dir.resolve("rebuild")).doesNotExist();
        if (!System.getProperty("os.name").startsWith("Windows")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("merit.mv.db"))))
                    .isEqualTo("rw-------");
        }
        try (Connection c = DriverManager.getConnection(EmbeddedDatabase.url(dir), EmbeddedDatabase.USER, secret);
             var r = c.createStatement().executeQuery("select count(*), sum(id) from t where name like 'n%'")) {
            r.next();
            assertThat(r.getLong(1)).isEqualTo(500);
            assertThat(r.getLong(2)).isEqualTo(500 * 501 / 2);
        }
    }

    /** A kill between the renames of a rebuild: the next start puts the new file in place, or drops it. */
    @Test
    void aSwapCutShortIsCompletedBeforeTheFileIsOpened() throws Exception {
        Path dir = TempPaths.directory("h2-swap");
        Files.writeString(dir.resolve("merit.rebuilt.mv.db"), "new");
        EmbeddedRebuild.finishSwap(dir); // the old file already moved aside
        assertThat(dir.resolve("merit.mv.db")).hasContent("new");
        assertThat(dir.resolve("merit.rebuilt.mv.db")).doesNotExist();
        Files.writeString(dir.resolve("merit.rebuilt.mv.db"), "newer");
        EmbeddedRebuild.finishSwap(dir); // the old file still in place: the rebuild runs again
        assertThat(dir.resolve("merit.mv.db")).hasContent("new");
        assertThat(dir.resolve("merit.rebuilt.mv.db")).doesNotExist();
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
        // Inside a clone, Git leaves the directory alone (nothing of it to commit, the secret least of all).
        assertThat(Files.readAllLines(dir.resolve(".gitignore"))).contains("*");
        Path clone = TempPaths.directory("h2-in-a-clone");
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init().setDirectory(clone.toFile()).call()) {
            EmbeddedDatabase.secret(clone.resolve("data"));
            Files.writeString(clone.resolve("work.txt"), "work\n");
            assertThat(git.status().call().getUntracked()).containsExactly("work.txt");
        }
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
