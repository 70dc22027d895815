//! The characters a value may hold when it reaches a shell as text. Apache Tomcat's
//! `bin/catalina.sh` runs `eval exec "\"$_RUNJAVA\"" … "$JAVA_OPTS" "$CATALINA_OPTS" …`
//! (apache/tomcat, bin/catalina.sh, the `run` and `start` branches; 10.1.59 from Maven
//! Central has it at lines 355-392), so every character of an options variable is read
//! a second time by `sh`; many other launch scripts expand `$JAVA_OPTS` unquoted.
//!
//! POSIX, Shell Command Language, 2.2 "Quoting" (The Open Group Base Specifications
//! Issue 8, IEEE Std 1003.1-2024, utilities/V3_chap02.html) lists the characters that
//! must be quoted to represent themselves (`| & ; < > ( ) $ \` \ " '`, space, tab,
//! newline) and those that may need it (`* ? [ ] ^ - ! # ~ = % { , }`). What is left
//! is read as itself everywhere: letters, digits and `. _ / : + @`. Three of the second
//! list are accepted too, because their condition cannot arise in one `-Dkey=value`
//! word: `-` is special only inside a bracket expression (`[` is refused), `,` only
//! between braces (`{` is refused), `=` only in an assignment before a command name
//! (never in an argument after `java`).

/// A character a shell reads as itself in an argument of ours.
pub fn is_plain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | ':' | '+' | '@' | '-' | ',' | '=')
}

/// The characters of a path this tool writes into `-javaagent:`: POSIX's portable
/// filename characters (letters, digits, `.`, `_`, `-`; Base Definitions 3.265
/// "Portable Filename Character Set") and `/`. No `=`: the JVM splits
/// `-javaagent:<jarpath>[=<options>]` at the first one (java.lang.instrument package
/// documentation, "Command-Line Interface").
pub fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_a_shell_reads_as_code_is_plain() {
        for c in "|&;<>()$`\\\"' \t\n*?[]^!#~%{}".chars() {
            assert!(!is_plain(c), "{c:?}");
        }
        for c in "aZ09._/:+@-,=".chars() {
            assert!(is_plain(c), "{c:?}");
        }
        assert!(!is_path_char('=') && !is_path_char(':') && is_path_char('-'));
    }
}
