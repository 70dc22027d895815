//! Image references -> local filesystems: what each image the cases name would put in a
//! container, built from what `scripts/install-runtime.sh` installed. Every image shares
//! the host's Debian as its base (read-only binds of /usr, /lib*, /bin, /sbin, /etc; the
//! JDK is in /usr/lib/jvm), plus its own layers, its default command and user.

use std::path::{Path, PathBuf};

/// What a layer holds.
#[derive(Clone, Copy, Debug)]
pub enum Content {
    /// The Pinpoint agent distribution, as the official image has it at /pinpoint-agent.
    Agent,
    /// The Tomcat distribution (CATALINA_HOME) with its ROOT webapp as the application,
    /// copied so the container may write it.
    Tomcat,
    /// The test's compiled plain JVM application (`tests/runtime/app/Hello.java`).
    HelloApp,
    /// Another vendor's agent, `other-agent.jar` (`tests/runtime/app/OtherAgent.java`).
    OtherAgent,
}

/// One image: its layers (content and where it sits), default command, user, env.
pub struct Image {
    pub reference: &'static str,
    pub layers: &'static [(Content, &'static str)],
    /// ENTRYPOINT + CMD, used when the container sets no `command`/`args`.
    pub entrypoint: &'static [&'static str],
    pub cmd: &'static [&'static str],
    /// USER of the image (None: root).
    pub user: Option<u32>,
    pub workdir: &'static str,
    /// ENV of the image; `{JAVA_HOME}` is the JDK the script found.
    pub env: &'static [(&'static str, &'static str)],
    /// Where the row comes from.
    pub source: &'static str,
}

const PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

pub const IMAGES: &[Image] = &[
    Image {
        reference: "pinpointdocker/pinpoint-agent:3.0.1",
        layers: &[(Content::Agent, "/pinpoint-agent")],
        // ENTRYPOINT configure-agent.sh, CMD tail -f /dev/null: every manifest overrides it.
        entrypoint: &["/usr/local/bin/configure-agent.sh"],
        cmd: &["tail", "-f", "/dev/null"],
        user: None,
        workdir: "/",
        env: &[("PATH", PATH)],
        source: "pinpoint-apm/pinpoint-docker, pinpoint-agent/Dockerfile (alpine, tarball at /pinpoint-agent, no USER)",
    },
    Image {
        // The recipe's agent image: FROM busybox + ADD pp_agent.tgz /var/lib/pp_agent/.
        // Its tag names 2.5.4; Maven Central serves 3.0.1 only, which is what it holds here.
        reference: "harbor.59iedu.com/fjhb/pp_agent:2.5.4",
        layers: &[(Content::Agent, "/var/lib/pp_agent")],
        entrypoint: &[],
        cmd: &["sh"],
        user: None,
        workdir: "/",
        env: &[("PATH", PATH)],
        source: "the recipe's Dockerfile (SEED.md, examples/seed-tomcat/README.md)",
    },
    Image {
        // The recipe's application: Tomcat at /home/tomcat (its mounts name
        // /home/tomcat/conf/server.xml and /home/tomcat/logs), started by catalina.sh run.
        reference: "harbor.59iedu.com/dev/fjhb6-ability-order-pay:1.22.0-SNAPSHOT-20190227044640",
        layers: &[(Content::Tomcat, "/home/tomcat")],
        entrypoint: &[],
        cmd: &["catalina.sh", "run"],
        user: None,
        workdir: "/home/tomcat",
        env: &[
            (
                "PATH",
                "/home/tomcat/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ),
            ("JAVA_HOME", "{JAVA_HOME}"),
            ("CATALINA_HOME", "/home/tomcat"),
        ],
        source: "the recipe's Deployment (examples/seed-tomcat/deployment.yaml)",
    },
    Image {
        reference: "tomcat:10.1-jdk17",
        layers: &[(Content::Tomcat, "/usr/local/tomcat")],
        entrypoint: &[],
        cmd: &["catalina.sh", "run"],
        user: None,
        workdir: "/usr/local/tomcat",
        env: &[
            (
                "PATH",
                "/usr/local/tomcat/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ),
            ("JAVA_HOME", "{JAVA_HOME}"),
            ("CATALINA_HOME", "/usr/local/tomcat"),
        ],
        source: "docker-library/tomcat, 10.1/jdk17/temurin-noble/Dockerfile (CATALINA_HOME /usr/local/tomcat, CMD catalina.sh run, root, logs temp work 1777); the application is the distribution's ROOT webapp",
    },
    Image {
        reference: "registry.example.test/hello-jvm:1",
        layers: &[(Content::HelloApp, "/app")],
        entrypoint: &["java"],
        cmd: &["-cp", "/app", "Hello"],
        user: None,
        workdir: "/app",
        env: &[("PATH", PATH), ("JAVA_HOME", "{JAVA_HOME}")],
        source: "tests/runtime/app/Hello.java, compiled by the test",
    },
    Image {
        // The same application in an image that runs as a non-root USER (as Bitnami's and
        // many distroless images do), with no securityContext in the manifest.
        reference: "registry.example.test/hello-jvm:1-nonroot",
        layers: &[(Content::HelloApp, "/app")],
        entrypoint: &["java"],
        cmd: &["-cp", "/app", "Hello"],
        user: Some(10001),
        workdir: "/app",
        env: &[("PATH", PATH), ("JAVA_HOME", "{JAVA_HOME}")],
        source: "tests/runtime/app/Hello.java, compiled by the test; USER 10001",
    },
    Image {
        // The application in an image that sets JVM options of its own in its ENV (as
        // many in-house images do): the manifest does not show them; its image facts do.
        reference: "registry.example.test/hello-jvm:1-tuned",
        layers: &[(Content::HelloApp, "/app")],
        entrypoint: &["java"],
        cmd: &["-cp", "/app", "Hello"],
        user: None,
        workdir: "/app",
        env: &[
            ("PATH", PATH),
            ("JAVA_HOME", "{JAVA_HOME}"),
            (
                "JAVA_TOOL_OPTIONS",
                "-XX:MaxRAMPercentage=75 -Duser.timezone=UTC -Dcase.image=kept",
            ),
        ],
        source: "tests/runtime/app/Hello.java, compiled by the test; ENV JAVA_TOOL_OPTIONS",
    },
    Image {
        // The application in an image that carries another vendor's agent in its own
        // ENV (as images built for an APM often do); the manifest shows none of it.
        reference: "registry.example.test/hello-jvm:1-traced",
        layers: &[(Content::HelloApp, "/app"), (Content::OtherAgent, "/otel")],
        entrypoint: &["java"],
        cmd: &["-cp", "/app", "Hello"],
        user: None,
        workdir: "/app",
        env: &[
            ("PATH", PATH),
            ("JAVA_HOME", "{JAVA_HOME}"),
            (
                "JAVA_TOOL_OPTIONS",
                "-javaagent:/otel/other-agent.jar -Dcase.image=traced",
            ),
        ],
        source: "tests/runtime/app/Hello.java and OtherAgent.java, compiled by the test; ENV JAVA_TOOL_OPTIONS with the other agent",
    },
];

/// Every image above as an `ImageFacts` resource (JSON, which is YAML), as
/// `pinpoint-inject images` would write it from their configs: user, env, entrypoint,
/// command and working directory, so a case may run with the facts the sandbox runs.
pub fn facts(java_home: &str) -> String {
    let images: Vec<serde_json::Value> = IMAGES
        .iter()
        .map(|i| {
            let env: Vec<String> = i
                .env
                .iter()
                .map(|(k, v)| format!("{k}={}", v.replace("{JAVA_HOME}", java_home)))
                .collect();
            serde_json::json!({
                "image": i.reference,
                "config": {
                    "User": i.user.map(|u| u.to_string()).unwrap_or_default(),
                    "Env": env,
                    "Entrypoint": i.entrypoint,
                    "Cmd": i.cmd,
                    "WorkingDir": i.workdir,
                },
            })
        })
        .collect();
    serde_json::json!({
        "apiVersion": "pinpoint-inject.dev/v1alpha1",
        "kind": "ImageFacts",
        "metadata": {"name": "runtime-images"},
        "images": images,
    })
    .to_string()
}

pub fn image(reference: &str) -> &'static Image {
    IMAGES
        .iter()
        .find(|i| i.reference == reference)
        .unwrap_or_else(|| {
            panic!("no local image for {reference:?}: add a row to tests/runtime/images.rs")
        })
}

/// Where each kind of content is on this machine.
pub struct Installed {
    pub agent: PathBuf,
    pub tomcat: PathBuf,
    pub hello: PathBuf,
    pub other_agent: PathBuf,
    pub java_home: String,
}

impl Installed {
    pub fn host_path(&self, content: Content) -> &Path {
        match content {
            Content::Agent => &self.agent,
            Content::Tomcat => &self.tomcat,
            Content::HelloApp => &self.hello,
            Content::OtherAgent => &self.other_agent,
        }
    }

    /// Content a container may write to is copied into its root; the rest is bound read-only.
    pub fn copied(content: Content) -> bool {
        matches!(content, Content::Tomcat)
    }
}
