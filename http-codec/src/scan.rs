//! Finding where a block of lines ends (a head, a trailer section) before parsing it: the
//! "frame first, then parse" step. The scan resumes where it stopped, so bytes arriving one at a
//! time are looked at once each.

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
    /// The index just after the empty line ending the block at the start of `buf`, or `None` if
    /// it has not arrived.
    #[inline]
    pub(crate) fn find_end(&mut self, buf: &[u8]) -> Option<usize> {
        let mut from = self.scanned;
        while let Some(i) = buf.get(from..).and_then(find_lf) {
            let lf = from + i;
            let line = buf.get(self.line_start..lf).unwrap_or_default();
            if line.is_empty() || line == b"\r" {
                *self = BlockScan::default();
                return Some(lf + 1);
            }
            self.line_start = lf + 1;
            from = lf + 1;
        }
        self.scanned = buf.len();
        None
    }

    /// Where the line being scanned starts (for the per-line limits).
    pub(crate) fn line_start(&self) -> usize {
        self.line_start
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

    #[test]
    fn finds_the_empty_line_under_any_split() {
        let head = b"GET / HTTP/1.1\r\nA: b\r\n\r\nbody";
        for cut in 0..head.len() {
            let mut s = BlockScan::default();
            let first = s.find_end(&head[..cut]);
            let end = first.or_else(|| s.find_end(head));
            assert_eq!(end, Some(24), "cut {cut}");
        }
        assert_eq!(BlockScan::default().find_end(b"\r\nx"), Some(2));
        assert_eq!(BlockScan::default().find_end(b"A: b\n\nx"), Some(6));
        assert_eq!(BlockScan::default().find_end(b"A: b\r\n"), None);
    }
}
