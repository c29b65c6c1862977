//! SETTINGS parameters (RFC 9113 §6.5): the values one side announced, their initial values
//! (§6.5.2), and the `HTTP2-Settings` field of the HTTP/1.1 Upgrade to h2c (RFC 7540 §3.2.1).

use bytes::{BufMut, BytesMut};
use framing::Decoder;

use super::error::{Error, ErrorCode};
use super::flow::DEFAULT_WINDOW;
use super::frame::{DEFAULT_MAX_FRAME_SIZE, Frame, FrameDecoder, FrameHeader, kind, setting};

/// The parameters one endpoint announced (§6.5.2), starting from the initial values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// SETTINGS_HEADER_TABLE_SIZE: the HPACK table the sender's decoder allows. Initially 4096.
    pub header_table_size: u32,
    /// SETTINGS_ENABLE_PUSH. Initially on (a server never sends it).
    pub enable_push: bool,
    /// SETTINGS_MAX_CONCURRENT_STREAMS: how many streams the receiver may open. Initially
    /// unlimited.
    pub max_concurrent_streams: Option<u32>,
    /// SETTINGS_INITIAL_WINDOW_SIZE: each stream's initial window. Initially 65,535.
    pub initial_window_size: u32,
    /// SETTINGS_MAX_FRAME_SIZE: the largest payload the sender accepts. Initially 16,384.
    pub max_frame_size: u32,
    /// SETTINGS_MAX_HEADER_LIST_SIZE: advisory. Initially unlimited.
    pub max_header_list_size: Option<u32>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            header_table_size: 4096,
            enable_push: true,
            max_concurrent_streams: None,
            initial_window_size: DEFAULT_WINDOW,
            max_frame_size: DEFAULT_MAX_FRAME_SIZE,
            max_header_list_size: None,
        }
    }
}

impl Settings {
    /// Applies the parameters of one SETTINGS frame in order (a later one of the same id wins,
    /// §6.5.3; unknown ids are ignored, §6.5.2). The values were checked by the frame decoder.
    pub fn apply(&mut self, params: &[(u16, u32)]) {
        for &(id, value) in params {
            match id {
                setting::HEADER_TABLE_SIZE => self.header_table_size = value,
                setting::ENABLE_PUSH => self.enable_push = value == 1,
                setting::MAX_CONCURRENT_STREAMS => self.max_concurrent_streams = Some(value),
                setting::INITIAL_WINDOW_SIZE => self.initial_window_size = value,
                setting::MAX_FRAME_SIZE => self.max_frame_size = value,
                setting::MAX_HEADER_LIST_SIZE => self.max_header_list_size = Some(value),
                _ => {}
            }
        }
    }

    /// The parameters that differ from the initial values, to send in a SETTINGS frame.
    pub fn params(&self) -> Vec<(u16, u32)> {
        let d = Settings::default();
        let mut out = Vec::new();
        if self.header_table_size != d.header_table_size {
            out.push((setting::HEADER_TABLE_SIZE, self.header_table_size));
        }
        if !self.enable_push {
            out.push((setting::ENABLE_PUSH, 0));
        }
        if let Some(n) = self.max_concurrent_streams {
            out.push((setting::MAX_CONCURRENT_STREAMS, n));
        }
        if self.initial_window_size != d.initial_window_size {
            out.push((setting::INITIAL_WINDOW_SIZE, self.initial_window_size));
        }
        if self.max_frame_size != d.max_frame_size {
            out.push((setting::MAX_FRAME_SIZE, self.max_frame_size));
        }
        if let Some(n) = self.max_header_list_size {
            out.push((setting::MAX_HEADER_LIST_SIZE, n));
        }
        out
    }

    /// The value of the `HTTP2-Settings` field a client sends with `Upgrade: h2c`: the payload
    /// of a SETTINGS frame in base64url without padding (RFC 7540 §3.2.1).
    pub fn to_http2_settings(&self) -> String {
        let mut payload = BytesMut::new();
        for (id, value) in self.params() {
            payload.put_u16(id);
            payload.put_u32(value);
        }
        base64url_encode(&payload)
    }

    /// The parameters carried by an `HTTP2-Settings` field (RFC 7540 §3.2.1), each checked as
    /// in a SETTINGS frame (§6.5.2); a value that is not base64url of a whole number of
    /// parameters is a PROTOCOL_ERROR.
    pub fn from_http2_settings(value: &[u8]) -> Result<Vec<(u16, u32)>, Error> {
        let bad = || {
            Error::connection(
                ErrorCode::PROTOCOL_ERROR,
                0,
                "§3.1",
                "an HTTP2-Settings field that is not base64url of SETTINGS parameters",
            )
        };
        let payload = base64url_decode(value.trim_ascii()).ok_or_else(bad)?;
        let length = u32::try_from(payload.len()).map_err(|_| bad())?;
        let mut frame = BytesMut::with_capacity(payload.len() + 9);
        FrameHeader {
            length,
            kind: kind::SETTINGS,
            flags: 0,
            stream: 0,
        }
        .write(&mut frame);
        frame.put_slice(&payload);
        let mut decoder = FrameDecoder::default();
        decoder.set_max_frame_size(u32::MAX);
        match decoder.decode(&mut frame)? {
            Some(Frame::Settings { ack: false, params }) => Ok(params),
            _ => Err(bad()),
        }
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding (RFC 4648 §5).
fn base64url_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from_be_bytes([0, b[0], b[1], b[2]]);
        for i in 0..=chunk.len() {
            let index = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(
                ALPHABET.get(index as usize).copied().unwrap_or(b'A'),
            ));
        }
    }
    out
}

/// base64url, padding optional (RFC 4648 §5; RFC 7540 §3.2.1 sends none).
fn base64url_decode(text: &[u8]) -> Option<Vec<u8>> {
    let text = text
        .strip_suffix(b"==")
        .or_else(|| text.strip_suffix(b"="))
        .unwrap_or(text);
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &c in text {
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // Left-over bits must be zero, and a lone sextet is not a whole octet.
    (bits < 6 && acc == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http2_settings_roundtrip() {
        let s = Settings {
            max_concurrent_streams: Some(100),
            initial_window_size: 1 << 20,
            enable_push: false,
            ..Settings::default()
        };
        let text = s.to_http2_settings();
        let params = Settings::from_http2_settings(text.as_bytes()).unwrap();
        let mut back = Settings::default();
        back.apply(&params);
        assert_eq!(back, s);
        assert_eq!(base64url_encode(b"hello"), "aGVsbG8");
        assert_eq!(base64url_decode(b"aGVsbG8").unwrap(), b"hello");
        assert!(Settings::from_http2_settings(b"AAMAAABk!").is_err());
        // SETTINGS_ENABLE_PUSH = 2 is refused as in a frame.
        assert!(
            Settings::from_http2_settings(base64url_encode(&[0, 2, 0, 0, 0, 2]).as_bytes())
                .is_err()
        );
        assert!(Settings::from_http2_settings(b"").unwrap().is_empty());
    }
}
