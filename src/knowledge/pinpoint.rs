//! Facts about Pinpoint itself that the wiring has to respect, each with the file it was
//! read from.

/// The characters Pinpoint accepts in an application name or agent id
/// (pinpoint-apm/pinpoint: commons/src/main/java/com/navercorp/pinpoint/common/util/IdValidateUtils.java).
pub fn is_pinpoint_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// The Java versions each agent line supports, from the "Java version required to run
/// Pinpoint" table of Pinpoint's README: `(major, minor, lowest Java, highest Java,
/// source)`. Java 25 under agent 3.0.1 is what the runtime test records
/// (`tests/runtime/images.rs`, docs/runtime-proof.md).
#[rustfmt::skip]
pub const AGENT_JAVA: &[(u32, u32, u32, u32, &str)] = &[
    (2, 5, 8, 19, "pinpoint-apm/pinpoint: README.md @ v2.5.4"),
    (3, 0, 8, 21, "pinpoint-apm/pinpoint: README.md @ v3.0.5"),
    (3, 1, 8, 24, "pinpoint-apm/pinpoint: README.md @ v3.1.0"),
];
