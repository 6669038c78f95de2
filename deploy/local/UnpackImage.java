import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unpacks an OCI image archive (what deploy's ContainerImages writes) the way a container runtime does, so that
 * deploy/local/container.sh can run it: checks every blob against its digest, applies the layers in order into
 * {@code <dir>/rootfs}, and writes the image's configuration (entrypoint, environment, user, working directory) to
 * {@code <dir>/config.sh} as Bash arrays.
 *
 *   java deploy/local/UnpackImage.java deploy/target/images/payout-service.tar .local/images/e2e/payout-service
 *
 * A single source file with no dependencies (Java's source launcher), since the scripts run before any build of
 * theirs; GNU tar unpacks the layers.
 */
public final class UnpackImage {

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: UnpackImage <image.tar> <directory>");
        }
        Path archive = Path.of(args[0]).toAbsolutePath();
        Path dir = Path.of(args[1]).toAbsolutePath();
        Path blobs = dir.resolve("blobs");
        Path rootfs = dir.resolve("rootfs");
        Files.createDirectories(blobs);
        Files.createDirectories(rootfs);
        run(List.of("tar", "-xf", archive.toString(), "-C", blobs.toString()));

        Map<?, ?> index = (Map<?, ?>) Json.parse(Files.readString(blobs.resolve("index.json")));
        Map<?, ?> descriptor = (Map<?, ?>) ((List<?>) index.get("manifests")).get(0);
        String manifestDigest = (String) descriptor.get("digest");
        Map<?, ?> manifest = (Map<?, ?>) Json.parse(blob(blobs, manifestDigest));
        String configDigest = (String) ((Map<?, ?>) manifest.get("config")).get("digest");
        Map<?, ?> config = (Map<?, ?>) ((Map<?, ?>) Json.parse(blob(blobs, configDigest))).get("config");

        for (Object layer : (List<?>) manifest.get("layers")) {
            String digest = (String) ((Map<?, ?>) layer).get("digest");
            verify(blobs, digest);
            // Layers hold regular files and directories with their modes, owned by root; no whiteouts (Jib writes
            // none), so extracting them in order is what an overlay file system would show.
            // Jib's PAX headers carry LIBARCHIVE.creationtime, which GNU tar does not know and need not.
            run(List.of("tar", "-xzf", blobPath(blobs, digest).toString(), "-C", rootfs.toString(),
                    "--no-same-owner", "--same-permissions", "--warning=no-unknown-keyword"));
        }

        StringBuilder sh = new StringBuilder("# From ").append(archive).append('\n');
        sh.append("IMAGE_DIGEST=").append(quote(manifestDigest)).append('\n');
        sh.append("IMAGE_USER=").append(quote(String.valueOf(config.get("User")))).append('\n');
        sh.append("IMAGE_WORKDIR=").append(quote(String.valueOf(config.get("WorkingDir")))).append('\n');
        sh.append("IMAGE_ENTRYPOINT=(").append(words(config.get("Entrypoint"))).append(")\n");
        sh.append("IMAGE_CMD=(").append(words(config.get("Cmd"))).append(")\n");
        sh.append("IMAGE_ENV=(").append(words(config.get("Env"))).append(")\n");
        Files.writeString(dir.resolve("config.sh"), sh.toString());
        run(List.of("rm", "-rf", blobs.toString())); // the root file system is what is run; the blobs were checked
        System.out.println("unpacked " + manifestDigest + " into " + rootfs);
    }

    private static Path blobPath(Path blobs, String digest) {
        return blobs.resolve("blobs").resolve(digest.replace(':', '/'));
    }

    /** A JSON blob's content (manifest, configuration), after {@link #verify}. */
    private static String blob(Path blobs, String digest) throws Exception {
        verify(blobs, digest);
        return Files.readString(blobPath(blobs, digest), StandardCharsets.UTF_8);
    }

    /** Refuses a blob that does not match its digest (a corrupt or tampered archive). */
    private static void verify(Path blobs, String digest) throws Exception {
        Path file = blobPath(blobs, digest);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, n);
            }
        }
        String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(digest)) {
            throw new IllegalStateException(file + " has digest " + actual + ", expected " + digest);
        }
    }

    private static String words(Object list) {
        StringBuilder out = new StringBuilder();
        if (list instanceof List<?> items) {
            for (Object item : items) {
                out.append(out.length() == 0 ? "" : " ").append(quote(String.valueOf(item)));
            }
        }
        return out.toString();
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    /** Just enough JSON for image manifests: objects, arrays, strings, numbers, booleans, null. */
    static final class Json {
        private final String text;
        private int pos;

        private Json(String text) {
            this.text = text;
        }

        static Object parse(String text) {
            Json json = new Json(text);
            Object value = json.value();
            json.space();
            if (json.pos != text.length()) {
                throw json.error("trailing characters");
            }
            return value;
        }

        private Object value() {
            space();
            char c = text.charAt(pos);
            switch (c) {
                case '{': {
                    Map<String, Object> map = new LinkedHashMap<>();
                    pos++;
                    if (peek('}')) {
                        return map;
                    }
                    do {
                        space();
                        String key = string();
                        expect(':');
                        map.put(key, value());
                    } while (peek(','));
                    expect('}');
                    return map;
                }
                case '[': {
                    List<Object> list = new ArrayList<>();
                    pos++;
                    if (peek(']')) {
                        return list;
                    }
                    do {
                        list.add(value());
                    } while (peek(','));
                    expect(']');
                    return list;
                }
                case '"':
                    return string();
                default:
                    int start = pos;
                    while (pos < text.length() && "{}[],: \t\r\n".indexOf(text.charAt(pos)) < 0) {
                        pos++;
                    }
                    String word = text.substring(start, pos);
                    return switch (word) {
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        case "null" -> null;
                        default -> Double.valueOf(word);
                    };
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = text.charAt(pos++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> out.append(e);
                }
            }
        }

        private boolean peek(char c) {
            space();
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
        }

        private void space() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private IllegalStateException error(String message) {
            return new IllegalStateException("JSON: " + message + " at " + pos);
        }
    }
}
