//! Size limits of the decoders (RFC 5321 §4.5.3.1), with defaults that are safe for a server on
//! the open internet. A decoder never buffers past them: a line is refused as soon as it crosses
//! its limit, and the rest of it is skipped so the session can answer and go on.

/// Limits of the SMTP decoders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A command line, CRLF included (RFC 5321 §4.5.3.1.4: 512 octets; RFC 1869 §4.1.2 lets an
    /// extension raise it, as SIZE, DSN and AUTH parameters do). Default 512 + 512 for the
    /// parameters of the extensions this crate speaks.
    pub max_command_line: usize,
    /// A reply line, CRLF included (RFC 5321 §4.5.3.1.5: 512). Default 512.
    pub max_reply_line: usize,
    /// Lines of one multi-line reply. Default 64 (an EHLO reply has a line per extension).
    pub max_reply_lines: usize,
    /// A line of message content, CRLF included (RFC 5321 §4.5.3.1.6: 1000 octets).
    /// `None` lifts it. Default `Some(1000)`.
    pub max_content_line: Option<usize>,
    /// The message content, after unstuffing (RFC 1870 SIZE). Default 64 MiB.
    pub max_message_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_command_line: 1024,
            max_reply_line: 512,
            max_reply_lines: 64,
            max_content_line: Some(1000),
            max_message_size: 64 * 1024 * 1024,
        }
    }
}
