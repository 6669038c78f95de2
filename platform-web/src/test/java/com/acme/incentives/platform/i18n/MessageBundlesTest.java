package com.acme.incentives.platform.i18n;

import com.acme.incentives.platform.problem.ProblemType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every text is there in English, Japanese and Korean: the platform's keys (constants the compiler checks) each have
 * their text in every language, and every bundle of every module (messages/*.properties, ValidationMessages) has the
 * same keys in its _ja and _ko files as in its English one, none of them empty.
 */
class MessageBundlesTest {

    @Test
    void everyPlatformKeyHasItsTextInEveryLanguage() {
        assertThat(Messages.missing(PlatformMessages.class)).isEmpty();
        assertThat(Messages.missing(ProblemType.class)).isEmpty();
    }

    @Test
    void everyBundleOfEveryModuleHasTheSameKeysInEveryLanguage() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> english = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(m -> Files.isDirectory(m.resolve("src/main/resources"))).toList()) {
                Path resources = module.resolve("src/main/resources");
                try (Stream<Path> files = Files.walk(resources)) {
                    files.filter(f -> f.getFileName().toString().endsWith(".properties"))
                            .filter(f -> f.startsWith(resources.resolve("messages"))
                                    || f.getFileName().toString().startsWith("ValidationMessages"))
                            .filter(f -> !f.getFileName().toString().matches(".*_[a-z]{2}\\.properties"))
                            .forEach(english::add);
                }
            }
        }
        assertThat(english).as("bundles found under " + root)
                .anyMatch(p -> p.endsWith("platform-web/src/main/resources/messages/problems.properties"));
        List<String> problems = new ArrayList<>();
        for (Path base : english) {
            Properties en = read(base);
            en.forEach((k, v) -> {
                if (v.toString().isBlank()) {
                    problems.add(base + ": " + k + " is empty");
                }
            });
            for (String language : List.of("ja", "ko")) {
                Path translated = base.resolveSibling(base.getFileName().toString()
                        .replace(".properties", "_" + language + ".properties"));
                if (!Files.exists(translated)) {
                    problems.add(translated + " is missing");
                    continue;
                }
                Properties other = read(translated);
                TreeSet<String> missing = new TreeSet<>(en.stringPropertyNames());
                missing.removeAll(other.stringPropertyNames());
                TreeSet<String> extra = new TreeSet<>(other.stringPropertyNames());
                extra.removeAll(en.stringPropertyNames());
                missing.forEach(k -> problems.add(translated + ": " + k + " is missing"));
                extra.forEach(k -> problems.add(translated + ": " + k + " is not in the English bundle"));
                other.forEach((k, v) -> {
                    if (v.toString().isBlank()) {
                        problems.add(translated + ": " + k + " is empty");
                    }
                });
                // The {0}, {1}... of a text are the same in every language: an argument is never lost.
                for (String key : en.stringPropertyNames()) {
                    if (other.containsKey(key) && !placeholders(en.getProperty(key))
                            .equals(placeholders(other.getProperty(key)))) {
                        problems.add(translated + ": " + key + " has other placeholders than the English text");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    private static TreeSet<String> placeholders(String text) {
        TreeSet<String> found = new TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{[a-z0-9]+}").matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }
}
