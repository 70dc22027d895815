// Another vendor's Java agent, as small as one can be, for tests/runtime.rs: an image
// that carries it in its own JAVA_TOOL_OPTIONS must be left alone by pinpoint-inject, and
// this agent must still load. It prints one line from premain.
import java.lang.instrument.Instrumentation;

public class OtherAgent {
    public static void premain(String args, Instrumentation inst) {
        System.out.println("other-agent: premain");
        System.out.flush();
    }
}
