//! Where one zone-file entry ends (RFC 1035 §5.1), found by a resumable scanner that looks at
//! each byte once however the text is cut into pieces.
//!
//! An entry ends at a line end outside parentheses; a `;` comment runs to the line end, and a
//! `"quoted string"` or a `\X` escape hides `(`, `)`, `;` and `"`. A line end inside a quoted
//! string or right after a backslash still ends the line (the entry's tokenizer refuses it), so
//! a broken quote costs one entry, not the rest of the file. Only then is the entry tokenized
//! and read, whole ("frame first, then parse", docs/DESIGN.md).

/// What the scanner is inside of.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Mode {
    /// Between or inside words.
    #[default]
    Text,
    /// Just after a backslash outside quotes.
    Escape,
    /// Inside a quoted string.
    Quoted,
    /// Just after a backslash inside a quoted string.
    QuotedEscape,
    /// From `;` to the line end.
    Comment,
}

/// What [`Scanner::scan`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scan {
    /// The entry ends with the line end at this index.
    End(usize),
    /// Every byte given was looked at; the entry goes on.
    More,
    /// The entry is longer than the limit: it has more than `limit` bytes before its end.
    TooLong,
}

/// The state of the scan of one entry, kept between pieces.
#[derive(Debug, Clone, Default)]
struct Scanner {
    /// Bytes of the entry looked at.
    pos: usize,
    /// Open parentheses (a `)` too many is left to the tokenizer).
    depth: usize,
    mode: Mode,
    /// Line ends looked at.
    newlines: usize,
}

impl Scanner {
    /// Looks at `entry[self.pos..]`, where `entry` starts at the entry's first byte (or where an
    /// earlier scan left off, for a skipped entry).
    fn scan(&mut self, entry: &[u8], limit: usize) -> Scan {
        while let Some(&b) = entry.get(self.pos) {
            let at = self.pos;
            self.pos += 1;
            if b == b'\n' {
                self.newlines += 1;
                // A line end closes a comment, and ends a broken quote or escape.
                self.mode = Mode::Text;
                if self.depth == 0 {
                    return Scan::End(at);
                }
            } else {
                self.mode = match self.mode {
                    Mode::Comment => Mode::Comment,
                    Mode::Escape => Mode::Text,
                    Mode::QuotedEscape => Mode::Quoted,
                    Mode::Quoted => match b {
                        b'"' => Mode::Text,
                        b'\\' => Mode::QuotedEscape,
                        _ => Mode::Quoted,
                    },
                    Mode::Text => match b {
                        b'"' => Mode::Quoted,
                        b'\\' => Mode::Escape,
                        b';' => Mode::Comment,
                        b'(' => {
                            self.depth = self.depth.saturating_add(1);
                            Mode::Text
                        }
                        b')' => {
                            self.depth = self.depth.saturating_sub(1);
                            Mode::Text
                        }
                        _ => Mode::Text,
                    },
                };
            }
            if at >= limit {
                return Scan::TooLong;
            }
        }
        Scan::More
    }
}

/// What [`Framer::step`] found; the caller drops the bytes it says it consumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// A whole entry: the consumed bytes, its line end included when it has one.
    Entry {
        /// Line of its first byte, from 1.
        line: usize,
        /// Offset of its first byte in the whole text.
        offset: u64,
        /// Whether it ends at the end of the text rather than at a line end.
        last: bool,
    },
    /// The entry that starts here is longer than the limit. Its bytes are being dropped until
    /// it ends; the consumed bytes are the first of them.
    TooLong {
        /// Line of its first byte, from 1.
        line: usize,
        /// Offset of its first byte in the whole text.
        offset: u64,
    },
    /// The rest of an entry that was too long, dropped.
    Skipped,
    /// The entry goes on past the bytes given (the consumed ones, if any, belong to an entry
    /// that was too long and are dropped): feed more, or say the text ended.
    More,
    /// The text ended and every entry was given.
    Done,
}

/// Cuts a text into entries as it arrives: where each ends, its line and offset, and the
/// entry-length limit. Lines and offsets count across pieces; every entry starts a line.
#[derive(Debug, Clone)]
pub(super) struct Framer {
    scanner: Scanner,
    /// Line of the current entry's first byte.
    line: usize,
    /// Offset in the whole text of the first byte not yet consumed.
    offset: u64,
    /// Dropping the rest of an entry that was too long.
    skipping: bool,
    done: bool,
}

impl Default for Framer {
    fn default() -> Framer {
        Framer {
            scanner: Scanner::default(),
            line: 1,
            offset: 0,
            skipping: false,
            done: false,
        }
    }
}

impl Framer {
    /// Looks for the end of the entry that starts at `avail[0]` (`finished`: no bytes come after
    /// `avail`). Returns how many bytes of `avail` are consumed, and what they are. Each byte is
    /// looked at once, whatever the pieces.
    pub(super) fn step(&mut self, avail: &[u8], finished: bool, limit: usize) -> (usize, Step) {
        if self.done {
            return (0, Step::Done);
        }
        let limit = if self.skipping { usize::MAX } else { limit };
        match self.scanner.scan(avail, limit) {
            Scan::End(at) => {
                let consumed = at + 1;
                let (line, offset) = (self.line, self.offset);
                self.line += self.scanner.newlines;
                self.offset += consumed as u64;
                self.scanner = Scanner::default();
                if std::mem::take(&mut self.skipping) {
                    return (consumed, Step::Skipped);
                }
                (
                    consumed,
                    Step::Entry {
                        line,
                        offset,
                        last: false,
                    },
                )
            }
            Scan::More if self.skipping => {
                let consumed = std::mem::take(&mut self.scanner.pos);
                self.offset += consumed as u64;
                self.done = finished;
                (consumed, if finished { Step::Done } else { Step::More })
            }
            Scan::More if !finished => (0, Step::More),
            Scan::More => {
                self.done = true;
                if avail.is_empty() {
                    return (0, Step::Done);
                }
                let step = Step::Entry {
                    line: self.line,
                    offset: self.offset,
                    last: true,
                };
                self.offset += avail.len() as u64;
                (avail.len(), step)
            }
            Scan::TooLong => {
                self.skipping = true;
                let consumed = std::mem::take(&mut self.scanner.pos);
                let step = Step::TooLong {
                    line: self.line,
                    offset: self.offset,
                };
                self.offset += consumed as u64;
                (consumed, step)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entries of `text` fed in pieces of `piece` bytes: (line, offset, text) each, and
    /// `None` for an entry too long.
    fn frame(text: &[u8], piece: usize, limit: usize) -> Vec<Option<(usize, u64, Vec<u8>)>> {
        let mut framer = Framer::default();
        let mut buf: Vec<u8> = Vec::new();
        let mut fed = 0usize;
        let mut out = Vec::new();
        loop {
            let finished = fed == text.len();
            let (consumed, step) = framer.step(&buf, finished, limit);
            let entry: Vec<u8> = buf.drain(..consumed).collect();
            match step {
                Step::Entry { line, offset, .. } => out.push(Some((line, offset, entry))),
                Step::TooLong { .. } => out.push(None),
                Step::Skipped => {}
                Step::More => {
                    let end = (fed + piece).min(text.len());
                    buf.extend_from_slice(&text[fed..end]);
                    fed = end;
                }
                Step::Done => return out,
            }
        }
    }

    #[test]
    fn entries_end_at_line_ends_outside_parentheses_quotes_and_comments() {
        let text = b"a ( b\n c ) ; x ( \n\"q ( ;\" \\( d\n; only ( a comment\nlast";
        for piece in 1..text.len() + 1 {
            let entries = frame(text, piece, 1000);
            let texts: Vec<&[u8]> = entries
                .iter()
                .map(|e| e.as_ref().unwrap().2.as_slice())
                .collect();
            assert_eq!(
                texts,
                [
                    &b"a ( b\n c ) ; x ( \n"[..],
                    b"\"q ( ;\" \\( d\n",
                    b"; only ( a comment\n",
                    b"last"
                ],
                "piece {piece}"
            );
            let places: Vec<(usize, u64)> = entries
                .iter()
                .map(|e| (e.as_ref().unwrap().0, e.as_ref().unwrap().1))
                .collect();
            assert_eq!(places, [(1, 0), (3, 18), (4, 31), (5, 50)]);
        }
    }

    #[test]
    fn a_broken_quote_or_escape_ends_at_its_line() {
        let entries = frame(b"a \"open\nb\\\nc\n", 3, 1000);
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[1].as_ref().unwrap().2, b"b\\\n");
    }

    #[test]
    fn an_open_parenthesis_runs_to_the_end() {
        let entries = frame(b"a ( b\nc\n", 2, 1000);
        assert_eq!(entries, [Some((1, 0, b"a ( b\nc\n".to_vec()))]);
    }

    #[test]
    fn the_limit_counts_bytes_before_the_line_end() {
        for piece in [1, 2, 5, 100] {
            // Four bytes and a line end fit a limit of four; five do not.
            let entries = frame(b"abcd\nabcde\nxy\nab(\n)\nz", piece, 4);
            let summary: Vec<Option<(usize, u64)>> = entries
                .iter()
                .map(|e| e.as_ref().map(|(l, o, _)| (*l, *o)))
                .collect();
            assert_eq!(
                summary,
                [Some((1, 0)), None, Some((3, 11)), None, Some((6, 20))],
                "piece {piece}"
            );
        }
    }
}
