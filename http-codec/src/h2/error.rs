//! HTTP/2 errors (RFC 9113 §5.4, §7): every violation carries the RFC's error code, whether it
//! ends the connection or one stream, the offset in the stream of the frame that caused it, and
//! the section that says so.

use std::fmt;

/// An HTTP/2 error code (RFC 9113 §7), as sent in RST_STREAM and GOAWAY frames. Codes this crate
/// does not know are kept (§7: "Unknown or unsupported error codes MUST NOT trigger any special
/// behavior").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ErrorCode(pub u32);

impl ErrorCode {
    /// Graceful shutdown, or no error (§7).
    pub const NO_ERROR: ErrorCode = ErrorCode(0x0);
    /// An unspecific protocol error (§7).
    pub const PROTOCOL_ERROR: ErrorCode = ErrorCode(0x1);
    /// An unexpected internal error (§7).
    pub const INTERNAL_ERROR: ErrorCode = ErrorCode(0x2);
    /// The peer broke flow control (§7, §6.9).
    pub const FLOW_CONTROL_ERROR: ErrorCode = ErrorCode(0x3);
    /// SETTINGS was not acknowledged in time (§7, §6.5.3).
    pub const SETTINGS_TIMEOUT: ErrorCode = ErrorCode(0x4);
    /// A frame on a half-closed stream (§7, §5.1).
    pub const STREAM_CLOSED: ErrorCode = ErrorCode(0x5);
    /// A frame of a wrong size (§7, §4.2).
    pub const FRAME_SIZE_ERROR: ErrorCode = ErrorCode(0x6);
    /// The stream was refused before any processing (§7, §8.7).
    pub const REFUSED_STREAM: ErrorCode = ErrorCode(0x7);
    /// The stream is no longer needed (§7).
    pub const CANCEL: ErrorCode = ErrorCode(0x8);
    /// The field-block decompression state cannot be kept (§7, RFC 7541).
    pub const COMPRESSION_ERROR: ErrorCode = ErrorCode(0x9);
    /// A CONNECT tunnel failed (§7, §8.5).
    pub const CONNECT_ERROR: ErrorCode = ErrorCode(0xa);
    /// The peer generates excessive load (§7, §10.5).
    pub const ENHANCE_YOUR_CALM: ErrorCode = ErrorCode(0xb);
    /// The transport's security is not good enough (§7, §9.2).
    pub const INADEQUATE_SECURITY: ErrorCode = ErrorCode(0xc);
    /// The request must be made over HTTP/1.1 (§7).
    pub const HTTP_1_1_REQUIRED: ErrorCode = ErrorCode(0xd);

    /// The code's name in RFC 9113 §7, or `None` for an unknown code.
    pub fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0x0 => "NO_ERROR",
            0x1 => "PROTOCOL_ERROR",
            0x2 => "INTERNAL_ERROR",
            0x3 => "FLOW_CONTROL_ERROR",
            0x4 => "SETTINGS_TIMEOUT",
            0x5 => "STREAM_CLOSED",
            0x6 => "FRAME_SIZE_ERROR",
            0x7 => "REFUSED_STREAM",
            0x8 => "CANCEL",
            0x9 => "COMPRESSION_ERROR",
            0xa => "CONNECT_ERROR",
            0xb => "ENHANCE_YOUR_CALM",
            0xc => "INADEQUATE_SECURITY",
            0xd => "HTTP_1_1_REQUIRED",
            _ => return None,
        })
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "0x{:x}", self.0),
        }
    }
}

/// What an error ends (RFC 9113 §5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// The whole connection: GOAWAY with the code, then close (§5.4.1).
    Connection,
    /// One stream: RST_STREAM with the code on this stream; the connection goes on (§5.4.2).
    Stream(u32),
}

/// An HTTP/2 protocol violation (RFC 9113 §5.4).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} ({}) at byte {offset}: {reason} (RFC 9113 {section})", match .scope { Scope::Connection => "connection error".to_string(), Scope::Stream(id) => format!("stream error on stream {id}") })]
pub struct Error {
    /// The code to send in GOAWAY or RST_STREAM.
    pub code: ErrorCode,
    /// Whether the connection or one stream ends.
    pub scope: Scope,
    /// Stream offset of the start of the frame (or preface) that caused it.
    pub offset: u64,
    /// The section of RFC 9113 (or RFC 7541) that says so, `§6.1`.
    pub section: &'static str,
    /// What was wrong.
    pub reason: &'static str,
}

impl Error {
    /// A connection error (§5.4.1).
    pub fn connection(
        code: ErrorCode,
        offset: u64,
        section: &'static str,
        reason: &'static str,
    ) -> Error {
        Error {
            code,
            scope: Scope::Connection,
            offset,
            section,
            reason,
        }
    }

    /// A stream error on `stream` (§5.4.2).
    pub fn stream(
        stream: u32,
        code: ErrorCode,
        offset: u64,
        section: &'static str,
        reason: &'static str,
    ) -> Error {
        Error {
            code,
            scope: Scope::Stream(stream),
            offset,
            section,
            reason,
        }
    }

    /// Whether the whole connection ends.
    pub fn is_connection_error(&self) -> bool {
        self.scope == Scope::Connection
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_code_scope_offset_and_section() {
        let e = Error::connection(
            ErrorCode::FRAME_SIZE_ERROR,
            9,
            "§4.2",
            "a frame over SETTINGS_MAX_FRAME_SIZE",
        );
        assert_eq!(
            e.to_string(),
            "FRAME_SIZE_ERROR (connection error) at byte 9: a frame over SETTINGS_MAX_FRAME_SIZE (RFC 9113 §4.2)"
        );
        let e = Error::stream(3, ErrorCode(0x42), 0, "§7", "x");
        assert_eq!(
            e.to_string(),
            "0x42 (stream error on stream 3) at byte 0: x (RFC 9113 §7)"
        );
    }
}
