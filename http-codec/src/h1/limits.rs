//! Size limits of the decoders, with defaults that are safe for a server on the open internet.
//!
//! A decoder never buffers more than these allow: the head is refused as soon as it crosses
//! `max_head_size`, before the rest of it arrives. Bodies are streamed in pieces of whatever
//! arrived, so they are not buffered at all; `max_body_size` only bounds what a peer may send.

/// Limits of the HTTP/1 decoders (RFC 9112 §2.3 leaves them to the implementation; RFC 6585 §5
/// gives 431, RFC 9110 §15.5.14-15 gives 413 and 414).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The whole head: start line, field lines and the empty line. Default 64 KiB. 431.
    pub max_head_size: usize,
    /// Number of header fields. Default 100. 431.
    pub max_headers: usize,
    /// The request-line or status-line. Default 8 KiB. 414 for requests.
    pub max_start_line: usize,
    /// One field line. Default 8 KiB. 431.
    pub max_field_line: usize,
    /// The chunk-ext of one chunk (RFC 9112 §7.1.1). Default 16 KiB. 413.
    pub max_chunk_extension: usize,
    /// The trailer section (RFC 9112 §7.1.2). Default 16 KiB. 431.
    pub max_trailer_size: usize,
    /// The body, by Content-Length or by the bytes that arrived. Default: none (bodies are
    /// streamed, never buffered). 413.
    pub max_body_size: Option<u64>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_head_size: 64 * 1024,
            max_headers: 100,
            max_start_line: 8 * 1024,
            max_field_line: 8 * 1024,
            max_chunk_extension: 16 * 1024,
            max_trailer_size: 16 * 1024,
            max_body_size: None,
        }
    }
}
