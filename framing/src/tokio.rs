//! Feature `tokio`: any framing codec as a `tokio_util::codec::{Decoder, Encoder}`, for
//! `FramedRead`, `FramedWrite` and `Framed`.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! use futures_util::{SinkExt, StreamExt};
//! use framing::{delimited::Delimited, tokio::Compat};
//! use tokio_util::codec::Framed;
//!
//! let (a, b) = tokio::io::duplex(64);
//! let mut a = Framed::new(a, Compat::new(Delimited::crlf()));
//! let mut b = Framed::new(b, Compat::new(Delimited::crlf()));
//! a.send("ping").await.unwrap();
//! assert_eq!(b.next().await.unwrap().unwrap(), "ping");
//! # }
//! ```

use bytes::BytesMut;

use crate::codec::{Decoder, Encoder};
use crate::error::AdapterError;

/// Wraps a framing codec so tokio-util's `Framed*` can drive it. Errors become
/// [`AdapterError`], which tokio-util needs to be `From<std::io::Error>`.
#[derive(Debug, Clone, Default)]
pub struct Compat<C>(pub C);

impl<C> Compat<C> {
    /// Wraps `codec`.
    pub fn new(codec: C) -> Compat<C> {
        Compat(codec)
    }

    /// The wrapped codec.
    pub fn into_inner(self) -> C {
        self.0
    }
}

impl<C: Decoder> tokio_util::codec::Decoder for Compat<C> {
    type Item = C::Item;
    type Error = AdapterError<C::Error>;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<C::Item>, Self::Error> {
        self.0.decode(src).map_err(AdapterError::Codec)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<C::Item>, Self::Error> {
        self.0.decode_eof(src).map_err(AdapterError::Codec)
    }
}

impl<I, C: Encoder<I>> tokio_util::codec::Encoder<I> for Compat<C> {
    type Error = AdapterError<C::Error>;

    fn encode(&mut self, item: I, dst: &mut BytesMut) -> Result<(), Self::Error> {
        self.0.encode(item, dst).map_err(AdapterError::Codec)
    }
}
