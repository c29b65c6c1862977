//! Size limits of the decoders (RFC 2449 §4, RFC 5034 §4), with defaults that are safe for a
//! server on the open internet. A decoder never buffers past them: a line is refused as soon as
//! it crosses its limit, and the rest of it is skipped so the session can answer and go on.

/// Limits of the POP3 decoders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// A command line, CRLF included (RFC 2449 §4: 255 octets). Default 255.
    pub max_command_line: usize,
    /// One argument of a command (RFC 2449 §4: "each argument may be up to 40 characters"),
    /// PASS's included. AUTH's initial response is bounded by the command line only (RFC 5034
    /// §4). Default 40.
    pub max_argument: usize,
    /// A client's answer to a `+` challenge, and a line the server sends while AUTH is
    /// answered (its challenges, the status that ends the exchange), CRLF included (RFC 5034 §4
    /// sets no limit; a GSSAPI token is a few KiB). Default 12,288.
    pub max_auth_line: usize,
    /// The first line of a response, CRLF included (RFC 2449 §4: 512 octets). Default 512.
    pub max_response_line: usize,
    /// A line of a multi-line response, CRLF included, a stuffed dot excluded. RFC 1939 sets
    /// none and a maildrop may hold messages with long lines: `None` (the default) lifts it.
    pub max_content_line: Option<usize>,
    /// The content of one multi-line response after unstuffing (a RETR'd message, a listing).
    /// Default 64 MiB.
    pub max_multiline_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_command_line: 255,
            max_argument: 40,
            max_auth_line: 12_288,
            max_response_line: 512,
            max_content_line: None,
            max_multiline_size: 64 * 1024 * 1024,
        }
    }
}
