// The plain JVM application of tests/runtime.rs: prints what the JVM was started with
// (its input arguments and the `case.*` system properties), then stays up for at most
// two minutes so the agent can report, and exits.
import java.lang.management.ManagementFactory;

public class Hello {
    public static void main(String[] args) throws Exception {
        System.out.println("hello: jvm arguments " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        System.getProperties().stringPropertyNames().stream().filter(n -> n.startsWith("case.")).sorted()
            .forEach(n -> System.out.println("hello: property " + n + "=" + System.getProperty(n)));
        String uid = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
            .filter(l -> l.startsWith("Uid:")).map(l -> l.split("\\s+")[1]).findFirst().orElse("?");
        System.out.println("hello: running as uid " + uid);
        System.out.flush();
        Thread.sleep(120_000);
    }
}
