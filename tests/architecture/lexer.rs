//! Just enough of a Rust lexer to find paths: comments, strings and char literals
//! blanked out; identifiers, `::`, braces and commas as tokens; `use` trees expanded.

/// The source with comments, strings and char literals blanked out (lines kept).
pub fn code_only(source: &str) -> String {
    let b = source.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let blank = |out: &mut Vec<u8>, c: u8| out.push(if c == b'\n' { b'\n' } else { b' ' });
    let mut i = 0;
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                blank(&mut out, b[i]);
                i += 1;
            }
        } else if rest.starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    out.extend_from_slice(b"  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(rest) {
            // r"…", r#"…"#, br#"…"#
            let prefix = rest.iter().position(|c| *c == b'"').unwrap() + 1;
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            out.extend(std::iter::repeat_n(b' ', prefix));
            i += prefix;
            while i < b.len() && !b[i..].starts_with(&close) {
                blank(&mut out, b[i]);
                i += 1;
            }
            out.extend(std::iter::repeat_n(b' ', close.len()));
            i += close.len();
        } else if b[i] == b'"' {
            out.push(b' ');
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    blank(&mut out, b[i]);
                    i += 1;
                }
                if i < b.len() {
                    blank(&mut out, b[i]);
                    i += 1;
                }
            }
            out.push(b' ');
            i += 1;
        } else if b[i] == b'\'' && char_literal_len(rest).is_some() {
            let len = char_literal_len(rest).unwrap();
            out.extend(std::iter::repeat_n(b' ', len));
            i += len;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `Some(number of #)` when `rest` starts a raw string (`r"`, `r#"`, `br#"`).
fn raw_string_start(rest: &[u8]) -> Option<usize> {
    let rest = rest.strip_prefix(b"b").unwrap_or(rest);
    let rest = rest.strip_prefix(b"r")?;
    let hashes = rest.iter().take_while(|c| **c == b'#').count();
    (rest.get(hashes) == Some(&b'"')).then_some(hashes)
}

/// The length of a char literal at the start of `rest` (`'a'`, `'\n'`, `'\u{1F}'`), or
/// `None` for a lifetime.
fn char_literal_len(rest: &[u8]) -> Option<usize> {
    if rest.get(1) == Some(&b'\\') {
        let end = rest[2..].iter().position(|c| *c == b'\'')?;
        return Some(end + 3);
    }
    let text = std::str::from_utf8(&rest[1..rest.len().min(6)])
        .unwrap_or_else(|e| std::str::from_utf8(&rest[1..1 + e.valid_up_to()]).unwrap());
    let c = text.chars().next()?;
    (text[c.len_utf8()..].starts_with('\'')).then_some(c.len_utf8() + 2)
}

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Ident(String),
    Path,
    Open,
    Close,
    Comma,
    Other(char),
}

pub fn tokens(code: &str) -> Vec<(Token, usize)> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut chars = code.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '\n' => line += 1,
            c if c.is_whitespace() => {}
            c if c.is_alphanumeric() || c == '_' => {
                let mut ident = String::from(c);
                while let Some((_, n)) = chars.peek().copied()
                    && (n.is_alphanumeric() || n == '_')
                {
                    ident.push(n);
                    chars.next();
                }
                out.push((Token::Ident(ident), line));
            }
            ':' if chars.peek().is_some_and(|(_, n)| *n == ':') => {
                chars.next();
                out.push((Token::Path, line));
            }
            '{' => out.push((Token::Open, line)),
            '}' => out.push((Token::Close, line)),
            ',' => out.push((Token::Comma, line)),
            c => out.push((Token::Other(c), line)),
        }
    }
    out
}

/// Parse the path tree starting at `tokens[at]` (just after a `::`), pushing every full
/// path it names onto `out` with `prefix` in front. Returns the index after it.
pub fn path_tree(
    tokens: &[(Token, usize)],
    mut at: usize,
    prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    let mut path = prefix;
    loop {
        match tokens.get(at).map(|t| &t.0) {
            Some(Token::Ident(name)) => {
                if name != "self" {
                    path.push(name.clone());
                }
                at += 1;
                if tokens.get(at).map(|t| &t.0) == Some(&Token::Path) {
                    at += 1;
                    continue;
                }
                out.push(path);
                return at;
            }
            Some(Token::Open) => {
                at += 1;
                loop {
                    match tokens.get(at).map(|t| &t.0) {
                        Some(Token::Close) => return at + 1,
                        Some(Token::Comma) => at += 1,
                        None => return at,
                        _ => at = path_tree(tokens, at, path.clone(), out),
                    }
                }
            }
            _ => {
                // `*` or the end: the path so far.
                out.push(path);
                return at;
            }
        }
    }
}
