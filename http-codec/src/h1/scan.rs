//! Finding where a block of lines ends (a head, a trailer section) before parsing it: the
//! "frame first, then parse" step. The scan resumes where it stopped, so bytes arriving one at a
//! time are looked at once each.
//!
//! The size limits are enforced here, line by line in stream order, so the error a peer gets
//! does not depend on how its bytes were cut: the first byte that crosses a limit decides, be it
//! the byte past the longest allowed line or the byte past the largest allowed block.

use crate::error::Limit;

/// The limits of one block: its first line (the start-line of a head), every other line, and the
/// whole block, each with the [`Limit`] it reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BlockLimits {
    pub first_line: (usize, Limit),
    pub line: (usize, Limit),
    pub total: (usize, Limit),
}

/// A limit crossed: which, its value, and where the line or block it applies to starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Crossed {
    pub what: Limit,
    pub limit: usize,
    /// Where the over-long line starts, or 0 for the whole block.
    pub start: usize,
}

/// A resumable search for the empty line that ends a head or trailer section (RFC 9112 §2.1).
/// A bare LF counts as a line end here so that a head using them is found and then refused by
/// the parser with the exact offset, rather than waiting for the size limit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct BlockScan {
    /// Bytes already searched.
    scanned: usize,
    /// Where the current line starts.
    line_start: usize,
}

impl BlockScan {
    /// The index just after the empty line ending the block at the start of `buf`, `None` if it
    /// has not arrived, or the first limit crossed.
    #[inline]
    pub(crate) fn find_end(
        &mut self,
        buf: &[u8],
        limits: &BlockLimits,
    ) -> Result<Option<usize>, Crossed> {
        let mut from = self.scanned;
        while let Some(i) = buf.get(from..).and_then(find_lf) {
            let lf = from + i;
            let line = buf.get(self.line_start..lf).unwrap_or_default();
            self.check(line, lf + 1, limits)?;
            if line.is_empty() || line == b"\r" {
                *self = BlockScan::default();
                return Ok(Some(lf + 1));
            }
            self.line_start = lf + 1;
            from = lf + 1;
        }
        let partial = buf.get(self.line_start..).unwrap_or_default();
        self.check(partial, buf.len(), limits)?;
        self.scanned = buf.len();
        Ok(None)
    }

    /// Checks the line at `self.line_start` (its bytes so far, without its LF) and the block up
    /// to `seen` bytes; of two limits crossed, the one crossed first in the stream is reported.
    fn check(&self, line: &[u8], seen: usize, limits: &BlockLimits) -> Result<(), Crossed> {
        let (max_line, line_kind) = if self.line_start == 0 {
            limits.first_line
        } else {
            limits.line
        };
        // A CR at the end may be the first half of the line's CRLF: not content (yet).
        let content = line.strip_suffix(b"\r").unwrap_or(line).len();
        let line_crossed_at = (content > max_line).then_some(self.line_start + max_line);
        let (max_total, total_kind) = limits.total;
        let total_crossed_at = (seen > max_total).then_some(max_total);
        match (line_crossed_at, total_crossed_at) {
            (Some(l), Some(t)) if t < l => Err(Crossed {
                what: total_kind,
                limit: max_total,
                start: 0,
            }),
            (Some(_), _) => Err(Crossed {
                what: line_kind,
                limit: max_line,
                start: self.line_start,
            }),
            (None, Some(_)) => Err(Crossed {
                what: total_kind,
                limit: max_total,
                start: 0,
            }),
            (None, None) => Ok(()),
        }
    }
}

/// The first LF in `bytes`: a plain loop for the few bytes a slow peer sends per read (a call
/// into memchr costs more than it saves there), memchr's vectorised search otherwise.
#[inline(always)]
fn find_lf(bytes: &[u8]) -> Option<usize> {
    if bytes.len() < 16 {
        bytes.iter().position(|&b| b == b'\n')
    } else {
        memchr::memchr(b'\n', bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: BlockLimits = BlockLimits {
        first_line: (16, Limit::RequestLine),
        line: (8, Limit::FieldLine),
        total: (40, Limit::Head),
    };

    fn whole_and_every_split(input: &[u8]) -> Result<Option<usize>, Crossed> {
        let whole = BlockScan::default().find_end(input, &LIMITS);
        for cut in 0..input.len() {
            let mut s = BlockScan::default();
            let first = s.find_end(&input[..cut], &LIMITS);
            let split = match first {
                Ok(None) => s.find_end(input, &LIMITS),
                other => other,
            };
            assert_eq!(
                split,
                whole,
                "cut {cut} of {:?}",
                String::from_utf8_lossy(input)
            );
        }
        whole
    }

    #[test]
    fn finds_the_empty_line_under_any_split() {
        assert_eq!(
            whole_and_every_split(b"GET / HTTP/1.1\r\nA: b\r\n\r\nbody"),
            Ok(Some(24))
        );
        assert_eq!(whole_and_every_split(b"\r\nx"), Ok(Some(2)));
        assert_eq!(whole_and_every_split(b"A: b\n\nx"), Ok(Some(6)));
        assert_eq!(whole_and_every_split(b"A: b\r\n"), Ok(None));
    }

    #[test]
    fn the_first_limit_crossed_wins_under_any_split() {
        let long_field = whole_and_every_split(b"GET / HTTP/1.1\r\nA: bbbbbbbbbb\r\nC: d\r\n");
        assert_eq!(
            long_field,
            Err(Crossed {
                what: Limit::FieldLine,
                limit: 8,
                start: 16
            })
        );
        let long_start = whole_and_every_split(b"GET /aaaaaaaaaaaaaaaaaa HTTP/1.1\r\n");
        assert_eq!(
            long_start,
            Err(Crossed {
                what: Limit::RequestLine,
                limit: 16,
                start: 0
            })
        );
        let big = whole_and_every_split(
            b"GET / HTTP/1.1\r\nA: 1\r\nA: 2\r\nA: 3\r\nA: 4\r\nA: 5\r\n\r\n",
        );
        assert_eq!(
            big,
            Err(Crossed {
                what: Limit::Head,
                limit: 40,
                start: 0
            })
        );
        // A line of exactly the limit, its CR arriving alone, is fine.
        assert_eq!(
            whole_and_every_split(b"GET / HTTP/1.1\r\nA: 12345\r\n\r\n"),
            Ok(Some(28))
        );
    }
}
