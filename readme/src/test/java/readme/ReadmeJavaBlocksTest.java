package readme;

import dev.otpengine.OtpEngine;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Docs as tests: every {@code java} block of README.md, taken from the file when the test runs, is compiled with
 * {@code javax.tools} against the real jars, so a block that stops compiling fails the build; the email and SMS
 * examples are also run as printed, with both channel jars on the class path.
 *
 * <p>A block is compiled as a class extending {@link ReadmeContext}, which supplies what blocks use without
 * declaring it ({@code login}, {@code settings}, {@code store}, the environment); statements go in the body of
 * {@code run()}, declarations (classes, jqwik properties) in the class body, and the {@code module-info} block is
 * compiled as a module against otpengine-spi.
 */
final class ReadmeJavaBlocksTest {

    private static final Path README = Path.of("..", "README.md");
    private static final String IMPORTS = String.join("\n",
            "import dev.otpengine.*;",
            "import dev.otpengine.spi.*;",
            "import dev.otpengine.store.*;",
            "import dev.otpengine.redis.*;",
            "import dev.otpengine.micrometer.*;",
            "import dev.otpengine.testkit.*;",
            "import java.time.*;",
            "import java.util.*;",
            "import java.util.concurrent.CompletableFuture;",
            "import java.util.concurrent.CompletionStage;",
            "import net.jqwik.api.*;",
            "import static org.junit.jupiter.api.Assertions.*;",
            "import static dev.otpengine.VerifyResult.Status.*;",
            "");

    /** One java block of the README: where it starts and what it says. */
    record Block(int line, String code) {

        boolean isModule() {
            return code.startsWith("module ");
        }

        /** Declarations (a class, annotated methods) rather than statements. */
        boolean isDeclarations() {
            String first = code.lines().filter(l -> !l.isBlank() && !l.strip().startsWith("//")).findFirst().orElse("");
            return first.matches("(public |final |abstract )*(class|interface|record) .*") || first.startsWith("@");
        }

        String name() {
            return "Block" + line;
        }
    }

    static List<Block> blocks() throws IOException {
        List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String fence = lines.get(i);
            if (fence.strip().equals("```java")) {
                int indent = fence.indexOf('`');
                StringBuilder code = new StringBuilder();
                int j = i + 1;
                for (; j < lines.size() && !lines.get(j).strip().equals("```"); j++) {
                    String line = lines.get(j);
                    code.append(line.length() >= indent && line.substring(0, indent).isBlank() ? line.substring(indent)
                            : line.stripLeading()).append('\n');
                }
                blocks.add(new Block(i + 1, code.toString()));
                i = j;
            }
        }
        return blocks;
    }

    private static String source(Block block) {
        StringBuilder s = new StringBuilder("package readme;\n").append(IMPORTS);
        s.append("public class ").append(block.name()).append(" extends ReadmeContext {\n");
        if (block.isDeclarations()) {
            s.append("public Object run() { return null; }\n");
            s.append("// README.md line ").append(block.line()).append('\n').append(block.code());
        } else {
            s.append("public Object run() throws Exception {\n");
            s.append("// README.md line ").append(block.line()).append('\n').append(block.code());
            s.append(declaresEngine(block) ? "return engine;\n" : "return null;\n");
            s.append("}\n");
        }
        return s.append("}\n").toString();
    }

    private static boolean declaresEngine(Block block) {
        return block.code().contains("OtpEngine engine =");
    }

    /**
     * Compiles sources into a fresh folder.
     *
     * @return the folder, if the compiler said nothing but warnings
     */
    private static Path compile(Block block, List<Path> sources, List<String> options, Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> all = new ArrayList<>(options);
            all.addAll(List.of("-d", out.toString(), "-proc:none", "-nowarn", "--release", "17"));
            boolean ok = javac.getTask(null, files, diagnostics, all, null, files.getJavaFileObjectsFromPaths(sources))
                    .call();
            if (!ok) {
                String errors = diagnostics.getDiagnostics().stream()
                        .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                        .map(d -> "line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                        .collect(Collectors.joining("\n"));
                fail("the java block at README.md line " + block.line() + " does not compile:\n" + errors + "\n"
                        + numbered(Files.readString(sources.get(0))));
            }
        }
        return out;
    }

    private static String numbered(String source) {
        String[] lines = source.split("\n");
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            s.append(i + 1).append(": ").append(lines[i]).append('\n');
        }
        return s.toString();
    }

    private static Path compile(Block block) throws IOException {
        Path dir = Files.createTempDirectory("readme-" + block.name());
        Path out = Files.createDirectories(dir.resolve("classes"));
        if (block.isModule()) {
            Path module = Files.createDirectories(dir.resolve("module"));
            Files.writeString(module.resolve("module-info.java"), block.code());
            Path provider = module.resolve("com/example/otp/chat/ChatChannelProvider.java");
            Files.createDirectories(provider.getParent());
            Files.writeString(provider, "package com.example.otp.chat;\n"
                    + "public final class ChatChannelProvider implements dev.otpengine.spi.ChannelProvider {\n"
                    + "  public String id() { return \"chat\"; }\n"
                    + "  public dev.otpengine.spi.Channel create(dev.otpengine.spi.ChannelSettings s) { return null; }\n"
                    + "}\n");
            String spi = Path.of(dev.otpengine.spi.ChannelProvider.class.getProtectionDomain().getCodeSource()
                    .getLocation().getPath()).toString();
            return compile(block, List.of(module.resolve("module-info.java"), provider),
                    List.of("--module-path", spi), out);
        }
        Path source = dir.resolve(block.name() + ".java");
        Files.writeString(source, source(block));
        return compile(block, List.of(source), List.of("-classpath", System.getProperty("java.class.path")), out);
    }

    @Test
    void theReadme_hasItsJavaBlocks() throws IOException {
        List<Block> blocks = blocks();
        assertTrue(blocks.size() >= 14, "found " + blocks.size());
        assertTrue(blocks.stream().anyMatch(Block::isModule));
        assertTrue(blocks.stream().anyMatch(Block::isDeclarations));
        for (Block block : blocks) {
            assertFalse(block.code().contains("...") && !block.code().contains("\"..."),
                    "README.md line " + block.line() + " elides code with ...: write it out");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyJavaBlock_compiles() throws IOException {
        return blocks().stream().map(block -> DynamicTest.dynamicTest("README.md line " + block.line(),
                () -> compile(block)));
    }

    /** Runs a block as printed, and gives back the engine it built. */
    private static OtpEngine run(Block block) throws Exception {
        Path classes = compile(block);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                ReadmeJavaBlocksTest.class.getClassLoader())) {
            ReadmeContext context = (ReadmeContext) loader.loadClass("readme." + block.name())
                    .getConstructor().newInstance();
            return (OtpEngine) context.run();
        }
    }

    private static Block blockWith(String text) throws IOException {
        List<Block> found = blocks().stream().filter(b -> b.code().contains(text)).toList();
        assertEquals(1, found.size(), "README blocks holding " + text);
        return found.get(0);
    }

    @Test
    void theEmailExample_runsAsPrinted_withBothChannelJarsOnTheClassPath() throws Exception {
        assertOnClassPath("dev.otpengine.channels.sms.SmsChannelProvider");
        assertOnClassPath("dev.otpengine.channels.email.EmailChannelProvider");
        try (OtpEngine engine = run(blockWith("\"email.smtp.host\", \"smtp.example.com\""))) {
            assertEquals(List.of("email"), List.copyOf(engine.channelIds()),
                    "the SMS plugin, given no settings, is left out");
        }
    }

    @Test
    void theSmsExample_runsAsPrinted_withBothChannelJarsOnTheClassPath() throws Exception {
        try (OtpEngine engine = run(blockWith("\"sms.gateway\", \"twilio\""))) {
            assertEquals(List.of("sms"), List.copyOf(engine.channelIds()),
                    "the email plugin, given no settings, is left out");
        }
    }

    private static void assertOnClassPath(String className) {
        try {
            Class.forName(className);
        } catch (ClassNotFoundException e) {
            fail(className + " is not on the class path: " + System.getProperty("java.class.path")
                    .replace(File.pathSeparator, "\n"));
        }
    }
}
