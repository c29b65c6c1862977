//! Both directions of one connection in one codec, for adapters that want a single value that is
//! a `Decoder` and an `Encoder` (such as `framing::blocking::Framed`): a client writes requests
//! and reads responses, a server reads requests and writes responses. Each side tells its
//! response half which method the response answers (HEAD and CONNECT change the body), in order,
//! so pipelining works.

use bytes::BytesMut;
use framing::{Decoder, Encoder};

use crate::error::Error;
use crate::h1::codec::Event;
use crate::h1::encode::{RequestEncoder, ResponseEncoder};
use crate::{Config, Request, RequestDecoder, Response, ResponseDecoder};

/// The client side: encodes requests, decodes the responses to them (RFC 9112).
#[derive(Debug, Clone, Default)]
pub struct ClientCodec {
    encoder: RequestEncoder,
    decoder: ResponseDecoder,
}

impl ClientCodec {
    /// A client codec whose decoder has these limits and relaxations.
    pub fn new(config: Config) -> ClientCodec {
        ClientCodec {
            encoder: RequestEncoder::new(Config::default()),
            decoder: ResponseDecoder::new(config),
        }
    }

    /// The response decoder (for its connection state).
    pub fn decoder(&self) -> &ResponseDecoder {
        &self.decoder
    }
}

impl Encoder<Event<Request>> for ClientCodec {
    type Error = Error;

    fn encode(&mut self, item: Event<Request>, dst: &mut BytesMut) -> Result<(), Error> {
        let head = match &item {
            Event::Head(r) => Some((r.method.clone(), r.asks_switch())),
            _ => None,
        };
        self.encoder.encode(item, dst)?;
        if let Some((method, upgrade)) = head {
            self.decoder.expect_switch(method, upgrade);
        }
        Ok(())
    }
}

impl Decoder for ClientCodec {
    type Item = Event<Response>;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Event<Response>>, Error> {
        self.decoder.decode(src)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Event<Response>>, Error> {
        self.decoder.decode_eof(src)
    }
}

/// The server side: decodes requests, encodes the responses to them (RFC 9112).
#[derive(Debug, Clone, Default)]
pub struct ServerCodec {
    decoder: RequestDecoder,
    encoder: ResponseEncoder,
}

impl ServerCodec {
    /// A server codec whose decoder has these limits and relaxations.
    pub fn new(config: Config) -> ServerCodec {
        ServerCodec {
            decoder: RequestDecoder::new(config),
            encoder: ResponseEncoder::new(Config::default()),
        }
    }

    /// The request decoder (for keep-alive, upgrade and 100-continue of the last request).
    pub fn decoder(&self) -> &RequestDecoder {
        &self.decoder
    }

    /// Goes on reading requests after a refused CONNECT or Upgrade.
    pub fn resume(&mut self) {
        self.decoder.resume();
    }
}

impl Decoder for ServerCodec {
    type Item = Event<Request>;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Event<Request>>, Error> {
        let item = self.decoder.decode(src)?;
        if let Some(Event::Head(r)) = &item {
            self.encoder.expect(r.method.clone());
        }
        Ok(item)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Event<Request>>, Error> {
        let item = self.decoder.decode_eof(src)?;
        if let Some(Event::Head(r)) = &item {
            self.encoder.expect(r.method.clone());
        }
        Ok(item)
    }
}

impl Encoder<Event<Response>> for ServerCodec {
    type Error = Error;

    fn encode(&mut self, item: Event<Response>, dst: &mut BytesMut) -> Result<(), Error> {
        self.encoder.encode(item, dst)
    }
}
