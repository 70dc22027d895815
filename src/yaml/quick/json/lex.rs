//! The JSON reader's one pass: a document's tokens, checked against JSON's grammar and
//! against what YAML reads the same way, walked with an explicit stack (no recursion, so
//! no depth can overflow the stack) and handed to a [`Sink`] as they come.
//!
//! What it reads: blank lines, comment lines and one `---` line, then one object, then
//! blank lines. Anything else gives up ([`GiveUp`]): a tab or a lone `\r` outside a
//! string, a character YAML reads as a line break or forbids, a lone surrogate escape, a
//! key over 1,024 bytes or with a line break before its `:`, nesting deeper than
//! [`MAX_DEPTH`], text after the object. YAML reads every JSON text it keeps the way JSON
//! does, so the caller's answer is the full parser's.

/// The reader does not read this text: the caller takes the full parser.
#[derive(Debug)]
pub struct GiveUp;

pub type R<T> = Result<T, GiveUp>;

/// Deeper than this, the full parser reads the document (as the block fast path does).
pub const MAX_DEPTH: usize = 64;

/// YAML's limit on an implicit key (a flow mapping's key is one), counted in bytes here.
const MAX_KEY: usize = 1024;

/// A scalar token: its bytes (a string's with its quotes), and whether a string has an
/// escape (its text is then not its value).
#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub quoted: bool,
    pub escaped: bool,
}

/// What the walk hands on. `depth` is a node's nesting level (the root's is 0; a key's
/// is its value's).
pub trait Sink<'t> {
    fn open(&mut self, at: &Lexer<'t>, map: bool, start: usize, depth: usize) -> R<()>;
    fn close(&mut self, at: &Lexer<'t>, map: bool, end: usize, depth: usize) -> R<()>;
    fn key(&mut self, at: &Lexer<'t>, key: Token, depth: usize) -> R<()>;
    fn scalar(&mut self, at: &Lexer<'t>, scalar: Token, depth: usize) -> R<()>;
}

/// Where the walk is: the offset, its 1-based line and where that line starts, and the
/// last column counted (its offset and column), for [`Lexer::col`].
pub struct Lexer<'t> {
    pub text: &'t str,
    b: &'t [u8],
    pos: usize,
    pub line: usize,
    line_start: usize,
    last_col: std::cell::Cell<(usize, usize)>,
}

impl<'t> Lexer<'t> {
    fn new(text: &'t str) -> Self {
        Lexer {
            text,
            b: text.as_bytes(),
            pos: 0,
            line: 1,
            line_start: 0,
            last_col: std::cell::Cell::new((0, 0)),
        }
    }

    /// The 0-based column, in characters, of `at` (on the current line, at or after the
    /// last offset asked for): counted on from there, so a long line costs one count.
    pub fn col(&self, at: usize) -> usize {
        let (mut from, mut col) = self.last_col.get();
        if from < self.line_start || from > at {
            (from, col) = (self.line_start, 0);
        }
        col += self.b[from..at]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count();
        self.last_col.set((at, col));
        col
    }

    /// The text of a string token without its quotes, when it has no escape.
    pub fn raw(&self, t: Token) -> Option<&'t str> {
        (t.quoted && !t.escaped).then(|| &self.text[t.start + 1..t.end - 1])
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn newline(&mut self) {
        self.line += 1;
        self.line_start = self.pos;
    }

    /// Spaces and line breaks (`\n`, `\r\n`).
    fn blank(&mut self) -> R<()> {
        loop {
            match self.peek() {
                Some(b' ') => self.pos += 1,
                Some(b'\n') => {
                    self.pos += 1;
                    self.newline();
                }
                Some(b'\r') if self.b.get(self.pos + 1) == Some(&b'\n') => {
                    self.pos += 2;
                    self.newline();
                }
                Some(b'\t' | b'\r') => return Err(GiveUp),
                _ => return Ok(()),
            }
        }
    }

    /// Blank lines, comment lines and one `---` line before the content, which must
    /// start with `{`.
    fn prefix(&mut self) -> R<()> {
        let mut separator = false;
        loop {
            let line = self.pos;
            while self.peek() == Some(b' ') {
                self.pos += 1;
            }
            match self.peek() {
                Some(b'{') => return Ok(()),
                Some(b'#') => {
                    // Printable characters to the line's end (`\r` is a line break too).
                    while let Some(b) = self.peek() {
                        match b {
                            b'\n' => break,
                            b'\r' if self.b.get(self.pos + 1) == Some(&b'\n') => break,
                            b'\t' => {}
                            0..0x20 | 0x7f => return Err(GiveUp),
                            _ if unsupported_char(&self.b[self.pos..]) => return Err(GiveUp),
                            _ => {}
                        }
                        self.pos += 1;
                    }
                }
                Some(b'-')
                    if !separator && self.pos == line && self.b[line..].starts_with(b"---") =>
                {
                    separator = true;
                    self.pos += 3;
                    while self.peek() == Some(b' ') {
                        self.pos += 1;
                    }
                }
                _ => {}
            }
            if self.b[self.pos..].starts_with(b"\r\n") {
                self.pos += 1;
            }
            if self.peek() != Some(b'\n') {
                return Err(GiveUp);
            }
            self.pos += 1;
            self.newline();
        }
    }

    /// A string, from its opening quote.
    fn string(&mut self) -> R<Token> {
        let start = self.pos;
        let mut escaped = false;
        let mut i = start + 1;
        loop {
            // Past the bytes that need no look (most of them), by table.
            i += self.b[i..]
                .iter()
                .position(|&b| STOP[usize::from(b)])
                .ok_or(GiveUp)?;
            match self.b[i] {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    i = self.escape(i)?;
                }
                0..0x20 | 0x7f => return Err(GiveUp),
                0xC2 | 0xE2 | 0xEF if unsupported_char(&self.b[i..]) => return Err(GiveUp),
                _ => i += 1,
            }
        }
        self.pos = i + 1;
        Ok(Token {
            start,
            end: i + 1,
            quoted: true,
            escaped,
        })
    }

    /// The escape at `at` (its `\`), checked; the offset after it.
    fn escape(&self, at: usize) -> R<usize> {
        match self.b.get(at + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(at + 2),
            Some(b'u') => {
                let unit = self.hex(at + 2)?;
                match unit {
                    0xD800..=0xDBFF => {
                        // A high surrogate: a low one must follow.
                        if self.b.get(at + 6..at + 8) != Some(b"\\u") {
                            return Err(GiveUp);
                        }
                        match self.hex(at + 8)? {
                            0xDC00..=0xDFFF => Ok(at + 12),
                            _ => Err(GiveUp),
                        }
                    }
                    0xDC00..=0xDFFF => Err(GiveUp),
                    _ => Ok(at + 6),
                }
            }
            _ => Err(GiveUp),
        }
    }

    fn hex(&self, at: usize) -> R<u32> {
        let digits = self.b.get(at..at + 4).ok_or(GiveUp)?;
        digits.iter().try_fold(0u32, |n, &d| {
            let v = (d as char).to_digit(16).ok_or(GiveUp)?;
            Ok(n * 16 + v)
        })
    }

    /// A number, `true`, `false` or `null` (a plain scalar to YAML), which a blank, a
    /// `,`, a closing bracket or the end must follow.
    fn plain(&mut self) -> R<Token> {
        let start = self.pos;
        let rest = &self.b[start..];
        let len = if rest.starts_with(b"true") || rest.starts_with(b"null") {
            4
        } else if rest.starts_with(b"false") {
            5
        } else {
            number(rest).ok_or(GiveUp)?
        };
        self.pos += len;
        match self.peek() {
            None | Some(b' ' | b'\n' | b'\r' | b',' | b'}' | b']') => Ok(Token {
                start,
                end: self.pos,
                quoted: false,
                escaped: false,
            }),
            _ => Err(GiveUp),
        }
    }

    /// A mapping key and its `:`, from the blanks before it.
    fn key<S: Sink<'t>>(&mut self, sink: &mut S, depth: usize) -> R<()> {
        self.blank()?;
        if self.peek() != Some(b'"') {
            return Err(GiveUp);
        }
        let key = self.string()?;
        if key.end - key.start > MAX_KEY {
            return Err(GiveUp);
        }
        sink.key(self, key, depth)?;
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
        if self.peek() != Some(b':') {
            return Err(GiveUp);
        }
        self.pos += 1;
        Ok(())
    }
}

/// The bytes a string's scan stops at: its end, an escape, a control character, and the
/// first bytes of the characters [`unsupported_char`] looks for.
static STOP: [bool; 256] = {
    let mut stop = [false; 256];
    let mut b = 0;
    while b < 256 {
        stop[b] = b < 0x20 || matches!(b, 0x22 | 0x5C | 0x7F | 0xC2 | 0xE2 | 0xEF);
        b += 1;
    }
    stop
};

/// The length of the JSON number `b` starts with.
fn number(b: &[u8]) -> Option<usize> {
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = usize::from(b.first() == Some(&b'-'));
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i += digits(i),
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        let n = digits(i + 1);
        if n == 0 {
            return None;
        }
        i += 1 + n;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let n = digits(i);
        if n == 0 {
            return None;
        }
        i += n;
    }
    Some(i)
}

/// A C1 control (NEL among them), a line or paragraph separator, a byte order mark or a
/// noncharacter starts `b` (the UTF-8 of a character YAML reads as a line break or
/// forbids, which the block fast path gives up on too).
fn unsupported_char(b: &[u8]) -> bool {
    matches!(
        b,
        [0xC2, 0x80..=0x9F, ..]
            | [0xE2, 0x80, 0xA8 | 0xA9, ..]
            | [0xEF, 0xBB, 0xBF, ..]
            | [0xEF, 0xBF, 0xBE | 0xBF, ..]
    )
}

/// Walk the document `text`, handing every token to `sink`.
pub fn walk<'t, S: Sink<'t>>(text: &'t str, sink: &mut S) -> R<()> {
    let mut lx = Lexer::new(text);
    lx.prefix()?;
    // One entry per open collection: whether it is a mapping.
    let mut open: Vec<bool> = Vec::new();
    'value: loop {
        lx.blank()?;
        let depth = open.len();
        match lx.peek() {
            Some(b @ (b'{' | b'[')) => {
                if depth >= MAX_DEPTH {
                    return Err(GiveUp);
                }
                let map = b == b'{';
                sink.open(&lx, map, lx.pos, depth)?;
                lx.pos += 1;
                open.push(map);
                lx.blank()?;
                if lx.peek() != Some(if map { b'}' } else { b']' }) {
                    if map {
                        lx.key(sink, depth + 1)?;
                    }
                    continue 'value;
                }
            }
            Some(b'"') => {
                let s = lx.string()?;
                sink.scalar(&lx, s, depth)?;
            }
            Some(_) => {
                let s = lx.plain()?;
                sink.scalar(&lx, s, depth)?;
            }
            None => return Err(GiveUp),
        }
        // After a node: a `,` and the next, or the end of the collection it is in.
        loop {
            lx.blank()?;
            let Some(&map) = open.last() else {
                return if lx.peek().is_none() {
                    Ok(())
                } else {
                    Err(GiveUp)
                };
            };
            match lx.peek() {
                Some(b',') => {
                    lx.pos += 1;
                    if map {
                        lx.key(sink, open.len())?;
                    }
                    continue 'value;
                }
                Some(b'}') if map => {}
                Some(b']') if !map => {}
                _ => return Err(GiveUp),
            }
            lx.pos += 1;
            open.pop();
            sink.close(&lx, map, lx.pos, open.len())?;
        }
    }
}
