//! The codec traits every protocol crate implements.
//!
//! They mirror `tokio_util::codec` so that the tokio adapter is a newtype, but their errors are
//! plain values: nothing here requires `From<std::io::Error>`.

use bytes::BytesMut;

/// Turns bytes into items, one at a time, from a buffer that grows as bytes arrive.
///
/// Contract, shared by every decoder of the workspace:
/// - incomplete input is `Ok(None)`, never an error, and the decoder remembers how far it has
///   scanned, so feeding a message one byte at a time costs about what feeding it whole costs;
/// - a decoded item's bytes are split off `src` (zero-copy);
/// - the decoder never grows `src` itself and never reserves space for a length the peer claims.
pub trait Decoder {
    /// What one call yields.
    type Item;
    /// What a call can fail with.
    type Error;

    /// Decodes the next item from `src`, or returns `Ok(None)` if `src` holds no complete item yet.
    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, Self::Error>;

    /// Called when the input has ended: returns the remaining complete items one per call, then
    /// `Ok(None)` if the input ended cleanly between items, or an error (for the framing codecs,
    /// [`Error::Truncated`](crate::Error::Truncated)) if it ended inside one.
    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Self::Item>, Self::Error>;
}

/// Turns items into bytes appended to a buffer.
pub trait Encoder<Item> {
    /// What a call can fail with.
    type Error;

    /// Appends the wire form of `item` to `dst`. On error nothing is appended.
    fn encode(&mut self, item: Item, dst: &mut BytesMut) -> Result<(), Self::Error>;
}
