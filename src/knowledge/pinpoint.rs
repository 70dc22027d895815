//! Facts about Pinpoint itself that the wiring has to respect, each with the file it was
//! read from.

/// The characters Pinpoint accepts in an application name or agent id
/// (pinpoint-apm/pinpoint: commons/src/main/java/com/navercorp/pinpoint/common/util/IdValidateUtils.java).
pub fn is_pinpoint_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}
