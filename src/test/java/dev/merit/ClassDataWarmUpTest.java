package dev.merit;

import dev.merit.support.TempPaths;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The class-data warm-up links what the JVM's class log names, and passes over what cannot be found by name. */
class ClassDataWarmUpTest {

    @Test
    void linksEveryClassAndInterfaceTheLogNamesAndSkipsHiddenOnes() throws Exception {
        Path log = TempPaths.directory("class-log").resolve("classes.log");
        Files.writeString(log, String.join("\n",
                "java.util.concurrent.ConcurrentSkipListMap source: jrt:/java.base",
                "java.util.concurrent.BlockingDeque source: jrt:/java.base",
                "dev.merit.EmbeddedDatabase source: file:/x/merit.jar",
                "dev.merit.EmbeddedDatabase source: file:/x/merit.jar",
                "dev.merit.MeritMain$$Lambda$412/0x0000000801234 source: dev.merit.MeritMain",
                "no.such.Type source: file:/x/gone.jar",
                "") + "\n");
        assertThat(ClassDataWarmUp.link(log, getClass().getClassLoader()))
                .as("two JDK types and one of Merit's, each once; the lambda and the missing type are left").isEqualTo(3);
    }

    @Test
    void anUnreadableLogLinksNothing() {
        assertThat(ClassDataWarmUp.link(Path.of("/nonexistent/classes.log"), getClass().getClassLoader())).isZero();
    }
}
