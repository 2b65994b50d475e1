package dev.otpengine.testkit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README shows the login-flow property exactly as it is compiled and run here, so it cannot drift. */
final class ReadmeExampleTest {

    @Test
    void readme_showsTheLoginFlowPropertyAsTested() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/otpengine/testkit/LoginFlowProperties.java"));
        String start = "    // README:login-flow:start\n";
        String region = source.substring(source.indexOf(start) + start.length(),
                source.indexOf("    // README:login-flow:end"));
        String snippet = region.lines().map(l -> l.startsWith("    ") ? l.substring(4) : l)
                .collect(Collectors.joining("\n")).strip();
        String readme = Files.readString(Path.of("../README.md"));

        assertTrue(readme.contains("```java\n" + snippet + "\n```"), "README.md lacks the example as in LoginFlowProperties:\n"
                + snippet);
    }
}
