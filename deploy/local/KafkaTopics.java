import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Makes the topics of deploy/local/topics.txt for each instance named on the command line, as
 * {@code <instance>.<topic>}, in one admin request: one JVM instead of one TopicCommand JVM per topic (seconds each).
 * Run by kafka.sh with the broker's own class path: {@code java -cp '<kafka libs>/*' KafkaTopics.java <bootstrap>
 * <topics.txt> <instance>...}. Prints how many it made.
 */
public class KafkaTopics {

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: KafkaTopics <bootstrap> <topics.txt> <instance>...");
            System.exit(2);
        }
        List<String[]> lines = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                lines.add(trimmed.split("\\s+"));
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                for (String[] topic : lines) {
                    String name = args[i] + "." + topic[0];
                    if (!existing.contains(name)) {
                        // Replication factor 1: the local broker is a single node.
                        missing.add(new NewTopic(name, Integer.parseInt(topic[1]), (short) 1));
                    }
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    // Another start made some of them meanwhile: fine, they exist now.
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            System.out.println(missing.size());
        }
    }
}
