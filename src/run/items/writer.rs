//! Writing a list as it is made: the input's bytes up to a point, or new text in place of
//! some of them.

use std::io::{self, Write};

/// Writes `text` to `out` with some of its ranges replaced.
pub struct Writer<'t, 'o, W> {
    pub text: &'t str,
    pub out: &'o mut W,
    /// Everything before this offset of `text` is written (or replaced).
    pub copied: usize,
    /// The last byte written, to end the text with a line break before appending.
    pub last: Option<u8>,
    /// The input's bytes written, new text written: whether anything changed.
    pub changed: bool,
}

impl<'t, 'o, W: Write> Writer<'t, 'o, W> {
    pub fn new(text: &'t str, out: &'o mut W) -> Self {
        Writer {
            text,
            out,
            copied: 0,
            last: None,
            changed: false,
        }
    }

    /// Write the input up to `at`.
    pub fn copy_to(&mut self, at: usize) -> io::Result<()> {
        let part = &self.text[self.copied..at];
        self.put(part.as_bytes())?;
        self.copied = at;
        Ok(())
    }

    /// Write the input up to `start`, then `new` in place of `start..end`.
    pub fn replace(&mut self, start: usize, end: usize, new: &str) -> io::Result<()> {
        self.copy_to(start)?;
        self.write(new.as_bytes())?;
        self.copied = end;
        Ok(())
    }

    /// Write new text (at the current place).
    pub fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.changed = true;
        self.put(bytes)
    }

    /// Write what another writer over the same text made into `bytes`, which ends at
    /// `copied` of the text (the last byte `last`; `changed` when any of it was new).
    pub fn append(
        &mut self,
        bytes: &[u8],
        copied: usize,
        last: Option<u8>,
        changed: bool,
    ) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.copied = copied;
        self.last = last.or(self.last);
        self.changed |= changed;
        Ok(())
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        if let Some(&b) = bytes.last() {
            self.last = Some(b);
        }
        self.out.write_all(bytes)
    }
}
