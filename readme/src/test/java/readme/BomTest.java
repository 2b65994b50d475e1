package readme;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The BOM the README tells users to import manages every module the project publishes, and nothing that is not one:
 * each module of the parent pom, by its artifactId, except those only for this repository (the demo, the bench, these
 * tests, the examples, the BOM itself).
 */
final class BomTest {

    private static final Path ROOT = Path.of("..");
    private static final Set<String> NOT_PUBLISHED = Set.of("otpengine-demo", "otpengine-bench",
            "otpengine-readme-tests", "otpengine-example-spring-boot-app", "otpengine-bom");
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    @Test
    void bom_managesEveryPublishedModule_andNothingElse() throws IOException {
        Set<String> published = new TreeSet<>();
        Matcher modules = MODULE.matcher(read(ROOT.resolve("pom.xml")));
        while (modules.find()) {
            String artifact = ownArtifactId(ROOT.resolve(modules.group(1)).resolve("pom.xml"));
            if (!NOT_PUBLISHED.contains(artifact) && !artifact.startsWith("otpengine-example")) {
                published.add(artifact);
            }
        }
        Set<String> managed = new TreeSet<>();
        Matcher artifacts = Pattern.compile("<artifactId>(otpengine-[^<]+)</artifactId>")
                .matcher(read(ROOT.resolve("bom/pom.xml")));
        while (artifacts.find()) {
            managed.add(artifacts.group(1));
        }
        managed.remove("otpengine-bom");
        assertEquals(published, managed);
    }

    private static String ownArtifactId(Path pom) throws IOException {
        String text = read(pom);
        int parentEnd = text.indexOf("</parent>");
        Matcher m = Pattern.compile("<artifactId>([^<]+)</artifactId>").matcher(text);
        while (m.find()) {
            if (m.start() > parentEnd) {
                return m.group(1);
            }
        }
        throw new AssertionError("no artifactId in " + pom);
    }

    private static String read(Path path) throws IOException {
        return Files.readString(path, StandardCharsets.UTF_8);
    }
}
