//! `Transfer-Encoding = #transfer-coding` (RFC 9112 §6.1).

use super::{TypedError, list, syntax};
use crate::chars::is_tchar;
use crate::h1::message_body::FieldScan;

/// The transfer codings in the order they were applied, names lowercased. Parameters are kept as
/// sent (`gzip;q=1` keeps `;q=1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferEncoding {
    /// Each coding: its name (lowercase) and its parameters as received (empty if none).
    pub codings: Vec<(String, String)>,
}

impl TransferEncoding {
    /// Parses a Transfer-Encoding value with the rules the decoders apply: at least one coding,
    /// `chunked` at most once and without parameters.
    pub fn decode(value: &[u8]) -> Result<TransferEncoding, TypedError> {
        FieldScan::default()
            .field(b"transfer-encoding", value, 0)
            .map_err(|_| {
                syntax(
                    "Transfer-Encoding",
                    0,
                    "not a valid list of transfer-codings, RFC 9112 §6.1",
                )
            })?;
        let mut codings = Vec::new();
        for (_, element) in list::elements(value)? {
            let n = element.iter().take_while(|&&b| is_tchar(b)).count();
            let (name, params) = element.split_at(n);
            codings.push((
                String::from_utf8_lossy(name).to_ascii_lowercase(),
                String::from_utf8_lossy(params).into_owned(),
            ));
        }
        Ok(TransferEncoding { codings })
    }

    /// Appends the codings, comma-separated.
    pub fn encode(&self, dst: &mut Vec<u8>) {
        for (i, (name, params)) in self.codings.iter().enumerate() {
            if i > 0 {
                dst.extend_from_slice(b", ");
            }
            dst.extend_from_slice(name.as_bytes());
            dst.extend_from_slice(params.as_bytes());
        }
    }

    /// Whether the final coding is chunked, which frames the body (RFC 9112 §6.3 item 4).
    pub fn is_chunked(&self) -> bool {
        self.codings.last().is_some_and(|(n, _)| n == "chunked")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codings_in_order() {
        let te = TransferEncoding::decode(b"GZIP;q=1, chunked").unwrap();
        assert_eq!(
            te.codings,
            [
                ("gzip".into(), ";q=1".into()),
                ("chunked".into(), "".into())
            ]
        );
        assert!(te.is_chunked());
        assert!(
            !TransferEncoding::decode(b"chunked, gzip")
                .unwrap()
                .is_chunked()
        );
        assert!(TransferEncoding::decode(b"chunked;x=1").is_err());
        assert!(TransferEncoding::decode(b"").is_err());
        assert!(TransferEncoding::decode(b"chunked, chunked").is_err());
    }
}
