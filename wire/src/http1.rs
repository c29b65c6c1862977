//! The `http1` part of the contract, over `http-codec`, and the HTTP section of `wire demo`.
//!
//! ```text
//! wire decode http1 --role server   {"type":"request","method":M,"target":T,"version":V,"headers":[[N,V]...],"body":B,"trailers":[...]}
//! wire decode http1 --role client   {"type":"response","version":V,"status":S,"reason":R,"headers":[...],"body":B,"trailers":[...]}
//! ```
//!
//! One object per complete message, the body decoded from its transfer coding. Responses are
//! taken as answers to GET requests (a response without Content-Length or chunked coding runs to
//! the end of input).

use std::os::unix::net::UnixStream;
use std::thread;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use framing::blocking::Framed;
use framing::{Decoder, Encoder};
use http_codec::{
    ClientCodec, Config, Error, Event, Headers, LENIENCY_FLAGS, Leniency, Request, RequestDecoder,
    RequestEncoder, Response, ResponseDecoder, ResponseEncoder, ServerCodec, Version,
};
use serde_json::Value;

use crate::demo::{DemoError, Transcript};
use crate::json::{self, Fields, Object};
use crate::proto::{self, ItemEncoder, ItemError, Options, Protocol, Reportable, Role, Sink};

impl Reportable for Error {
    fn kind(&self) -> &'static str {
        match self {
            Error::Syntax { .. } => "syntax",
            Error::Truncated { .. } => "incomplete",
            Error::TooLarge { .. } => "too-large",
            Error::UnsupportedVersion { .. } => "unsupported-version",
            Error::ContentLength { .. } => "content-length",
            Error::TransferEncoding { .. } => "transfer-encoding",
            Error::UnknownTransferCoding { .. } => "unknown-transfer-coding",
            Error::ContentLengthWithTransferEncoding { .. } => {
                "content-length-with-transfer-encoding"
            }
            Error::Host { .. } => "host",
            Error::Local { .. } => "unencodable",
            _ => "error",
        }
    }

    fn offset(&self) -> Option<u64> {
        Error::offset(self)
    }
}

/// `http1`: HTTP/1.0 and HTTP/1.1 messages (RFC 9112).
#[derive(Debug, Clone, clap::Args)]
pub struct Http1 {}

fn config(options: &Options) -> Config {
    // main has checked every flag against LENIENCY_FLAGS.
    let leniency = Leniency::from_names(options.lenient.iter().map(String::as_str))
        .unwrap_or_else(|_| Leniency::strict());
    Config {
        leniency,
        ..Config::default()
    }
}

/// A decoder of whole messages: the events of one message joined into head, body, trailers.
struct Whole<D> {
    inner: D,
    head: Option<(Object, Vec<u8>)>,
}

impl<D, H> Decoder for Whole<D>
where
    D: Decoder<Item = Event<H>, Error = Error>,
    H: ToJson,
{
    type Item = Object;
    type Error = Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Object>, Error> {
        self.next(src, false)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Object>, Error> {
        self.next(src, true)
    }
}

impl<D, H> Whole<D>
where
    D: Decoder<Item = Event<H>, Error = Error>,
    H: ToJson,
{
    fn next(&mut self, src: &mut BytesMut, eof: bool) -> Result<Option<Object>, Error> {
        loop {
            let event = if eof {
                self.inner.decode_eof(src)?
            } else {
                self.inner.decode(src)?
            };
            match event {
                None => return Ok(None),
                Some(Event::Head(h)) => self.head = Some((h.to_json(), Vec::new())),
                Some(Event::Data(d)) => {
                    if let Some((_, body)) = &mut self.head {
                        body.extend_from_slice(&d);
                    }
                }
                Some(Event::End(trailers)) => {
                    let Some((head, body)) = self.head.take() else {
                        continue;
                    };
                    return Ok(Some(
                        head.with("body", json::latin1(&body))
                            .with("trailers", fields_json(&trailers)),
                    ));
                }
            }
        }
    }
}

/// The head part of a message object.
trait ToJson {
    fn to_json(&self) -> Object;
}

impl ToJson for Request {
    fn to_json(&self) -> Object {
        Object::new()
            .with("type", "request")
            .with("method", json::latin1(&self.method))
            .with("target", json::latin1(&self.target))
            .with("version", self.version.to_string())
            .with("headers", fields_json(&self.headers))
    }
}

impl ToJson for Response {
    fn to_json(&self) -> Object {
        Object::new()
            .with("type", "response")
            .with("version", self.version.to_string())
            .with("status", self.status)
            .with("reason", json::latin1(&self.reason))
            .with("headers", fields_json(&self.headers))
    }
}

fn fields_json(fields: &Headers) -> Value {
    Value::Array(
        fields
            .iter()
            .map(|f| {
                Value::Array(vec![
                    Value::String(json::latin1(f.name())),
                    Value::String(json::latin1(f.value())),
                ])
            })
            .collect(),
    )
}

impl Protocol for Http1 {
    fn lenient_flags(&self) -> &'static [&'static str] {
        LENIENCY_FLAGS
    }

    fn decode(
        &self,
        options: &Options,
        input: &[u8],
        sink: &mut Sink<'_>,
    ) -> Result<(), ItemError> {
        let config = config(options);
        match options.role {
            Role::Server => {
                let mut d = Whole {
                    inner: RequestDecoder::new(config),
                    head: None,
                };
                proto::decode_all(&mut d, input, sink, |o| o)
            }
            Role::Client => {
                let mut d = Whole {
                    inner: ResponseDecoder::new(config),
                    head: None,
                };
                proto::decode_all(&mut d, input, sink, |o| o)
            }
        }
    }

    fn encoder(&self, options: &Options) -> Box<dyn ItemEncoder> {
        match options.role {
            Role::Server => Box::new(RequestObjects(RequestEncoder::default())),
            Role::Client => Box::new(ResponseObjects {
                encoder: ResponseEncoder::default(),
                ended: None,
            }),
        }
    }
}

struct RequestObjects(RequestEncoder);
struct ResponseObjects {
    encoder: ResponseEncoder,
    /// Why no response may follow the last one, if none may: `decode` would read what follows
    /// as part of it, so `decode(encode(x)) == x` would not hold.
    ended: Option<&'static str>,
}

/// How `decode` reads one encoded `message` on its own: `Ok(true)` if it ends before the end of
/// input, `Ok(false)` if only the end of input ends it (a close-delimited response, RFC 9112
/// §6.3 item 8), or why it does not decode. The encoders check less than the decoders (a
/// request-target's grammar, for one), so `encode` refuses what this refuses, as the contract
/// promises `decode(encode(x)) == x`.
fn decoded_alone<D, H>(mut decoder: D, message: &[u8]) -> Result<bool, String>
where
    D: Decoder<Item = Event<H>, Error = Error>,
{
    let mut buf = BytesMut::from(message);
    let mut eof = false;
    loop {
        let item = if eof {
            decoder.decode_eof(&mut buf)
        } else {
            decoder.decode(&mut buf)
        };
        match item.map_err(|e| format!("the message would not decode: {e}"))? {
            Some(Event::End(_)) if buf.is_empty() => return Ok(!eof),
            Some(Event::End(_)) => {
                return Err(format!(
                    "the message would not decode: {} bytes after its end",
                    buf.len()
                ));
            }
            Some(_) => {}
            None if !eof => eof = true,
            None => return Err("the message would not decode: it does not end".to_string()),
        }
    }
}

fn version(fields: &mut Fields) -> Result<Version, String> {
    let v = fields.bytes("version")?;
    match v.as_slice() {
        [b'H', b'T', b'T', b'P', b'/', b'1', b'.', d] if d.is_ascii_digit() => {
            Version::http1(d - b'0').ok_or_else(|| "bad version".to_string())
        }
        _ => Err(format!(
            "version must be HTTP/1.x, found {:?}",
            json::latin1(&v)
        )),
    }
}

fn headers(fields: &mut Fields, key: &str) -> Result<Headers, String> {
    let mut out = Headers::new();
    for pair in fields.array(key)? {
        let Value::Array(pair) = pair else {
            return Err(format!("{key} must be a list of [name, value] pairs"));
        };
        let [Value::String(name), Value::String(value)] = pair.as_slice() else {
            return Err(format!("{key} must be a list of [name, value] pairs"));
        };
        let name = json::from_latin1(name)?;
        let value = json::from_latin1(value)?;
        out.append(&name, &value).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// Head, body and end of one message object, through `encoder`.
fn encode_message<H, E>(
    encoder: &mut E,
    head: H,
    body: Vec<u8>,
    trailers: Headers,
    dst: &mut BytesMut,
) -> Result<(), String>
where
    E: Encoder<Event<H>, Error = Error>,
{
    // Nothing is appended unless the whole message encodes.
    let mut out = BytesMut::new();
    encoder
        .encode(Event::Head(head), &mut out)
        .map_err(|e| e.to_string())?;
    if !body.is_empty() {
        encoder
            .encode(Event::Data(Bytes::from(body)), &mut out)
            .map_err(|e| e.to_string())?;
    }
    encoder
        .encode(Event::End(trailers), &mut out)
        .map_err(|e| e.to_string())?;
    dst.extend_from_slice(&out);
    Ok(())
}

fn expect_type(fields: &mut Fields, want: &str) -> Result<(), String> {
    let t = fields.bytes("type")?;
    if t != want.as_bytes() {
        return Err(format!(
            "type must be {want:?} for this role, found {:?}",
            json::latin1(&t)
        ));
    }
    Ok(())
}

impl ItemEncoder for RequestObjects {
    fn encode(&mut self, item: Value, dst: &mut BytesMut) -> Result<(), String> {
        let mut f = Fields::new(item)?;
        expect_type(&mut f, "request")?;
        let mut request = Request::new(f.bytes("method")?, f.bytes("target")?);
        request.version = version(&mut f)?;
        request.headers = headers(&mut f, "headers")?;
        let body = f.bytes("body")?;
        let trailers = headers(&mut f, "trailers")?;
        f.finish()?;
        // A failed message leaves the encoder mid-message: start afresh for the next object.
        let mut encoder = self.0.clone();
        let start = dst.len();
        encode_message(&mut encoder, request, body, trailers, dst)?;
        if let Err(e) = decoded_alone(
            RequestDecoder::default(),
            dst.get(start..).unwrap_or_default(),
        ) {
            dst.truncate(start);
            return Err(e);
        }
        self.0 = encoder;
        Ok(())
    }
}

impl ItemEncoder for ResponseObjects {
    fn encode(&mut self, item: Value, dst: &mut BytesMut) -> Result<(), String> {
        if let Some(why) = self.ended {
            return Err(format!("no response may follow {why}"));
        }
        let mut f = Fields::new(item)?;
        expect_type(&mut f, "response")?;
        let v = version(&mut f)?;
        let status = f.uint("status", 599)? as u16;
        let mut response = Response::new(status);
        response.version = v;
        response.reason = Bytes::from(f.bytes("reason")?);
        response.headers = headers(&mut f, "headers")?;
        let body = f.bytes("body")?;
        let trailers = headers(&mut f, "trailers")?;
        f.finish()?;
        let mut encoder = self.encoder.clone();
        let start = dst.len();
        encode_message(&mut encoder, response, body, trailers, dst)?;
        let ends = match decoded_alone(
            ResponseDecoder::default(),
            dst.get(start..).unwrap_or_default(),
        ) {
            Ok(ends) => ends,
            Err(e) => {
                dst.truncate(start);
                return Err(e);
            }
        };
        self.encoder = encoder;
        if status == 101 {
            self.ended =
                Some("a 101 (Switching Protocols): the bytes after it are another protocol's");
        } else if !ends {
            self.ended = Some(
                "a response without Content-Length or chunked coding, whose body runs to the end \
                 of input (RFC 9112 §6.3)",
            );
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// demo

const DEMO_TIMEOUT: Duration = Duration::from_secs(5);

/// A client sends two pipelined requests (a chunked upload with a trailer, then a HEAD) to a
/// server over a socket pair; the server answers each; both print what they decoded.
pub fn demo(t: &mut Transcript<'_>) -> Result<(), DemoError> {
    t.line("-- HTTP/1.1 over a socket pair (http_codec::ClientCodec / ServerCodec, framing::blocking::Framed)")?;
    let (client_end, server_end) = UnixStream::pair()?;
    client_end.set_read_timeout(Some(DEMO_TIMEOUT))?;
    server_end.set_read_timeout(Some(DEMO_TIMEOUT))?;
    let server = thread::spawn(move || serve(server_end));
    let client_result = client(client_end);
    let requests = server
        .join()
        .map_err(|_| DemoError::from("the HTTP server thread panicked"))??;
    let responses = client_result?;
    for (request, response) in requests.iter().zip(&responses) {
        t.line(&format!("C: {request}"))?;
        t.line(&format!("S: {response}"))?;
    }
    hostile(t)
}

fn http(e: Error) -> DemoError {
    DemoError::Script(format!("http: {e}"))
}

fn adapter(e: framing::AdapterError<Error>) -> DemoError {
    match e {
        framing::AdapterError::Io(e) => DemoError::Io(e),
        framing::AdapterError::Codec(e) => http(e),
        other => DemoError::Script(other.to_string()),
    }
}

/// The server: decodes requests and answers each; returns the requests as `wire decode` prints
/// them.
fn serve(stream: UnixStream) -> Result<Vec<String>, DemoError> {
    let mut framed = Framed::new(stream, ServerCodec::default());
    let mut lines = Vec::new();
    let mut head = None;
    let mut body = Vec::new();
    while let Some(event) = framed.recv().map_err(adapter)? {
        match event {
            Event::Head(r) => {
                head = Some(r);
                body.clear();
            }
            Event::Data(d) => body.extend_from_slice(&d),
            Event::End(trailers) => {
                let Some(request) = head.take() else {
                    return Err("end before head".into());
                };
                let object = request
                    .to_json()
                    .with("body", json::latin1(&body))
                    .with("trailers", fields_json(&trailers));
                lines.push(object.to_string());
                let text = format!("received {} bytes\n", body.len());
                let mut response = Response::new(200);
                response
                    .headers
                    .append("Content-Type", "text/plain")
                    .map_err(http)?;
                response
                    .headers
                    .append("Content-Length", text.len().to_string())
                    .map_err(http)?;
                framed.send(Event::Head(response)).map_err(adapter)?;
                // A response to HEAD has no body, whatever its Content-Length says.
                if request.method != "HEAD" {
                    framed
                        .send(Event::Data(Bytes::from(text)))
                        .map_err(adapter)?;
                }
                framed.send(Event::End(Headers::new())).map_err(adapter)?;
            }
        }
    }
    Ok(lines)
}

/// The client: two pipelined requests, then the responses as `wire decode` prints them.
fn client(stream: UnixStream) -> Result<Vec<String>, DemoError> {
    let mut framed = Framed::new(stream, ClientCodec::default());
    let mut upload = Request::new("POST", "/upload?name=demo.txt");
    upload.headers.append("Host", "example.com").map_err(http)?;
    upload
        .headers
        .append("Transfer-Encoding", "chunked")
        .map_err(http)?;
    let mut trailers = Headers::new();
    trailers.append("Digest", "sha-256=demo").map_err(http)?;
    framed.feed(Event::Head(upload)).map_err(adapter)?;
    framed
        .feed(Event::Data(Bytes::from_static(b"hello, ")))
        .map_err(adapter)?;
    framed
        .feed(Event::Data(Bytes::from_static(b"world\n")))
        .map_err(adapter)?;
    framed.feed(Event::End(trailers)).map_err(adapter)?;
    let mut head = Request::new("HEAD", "/upload?name=demo.txt");
    head.headers.append("Host", "example.com").map_err(http)?;
    head.headers.append("Connection", "close").map_err(http)?;
    framed.feed(Event::Head(head)).map_err(adapter)?;
    framed.feed(Event::End(Headers::new())).map_err(adapter)?;
    framed.flush()?;

    let mut responses = Vec::new();
    let mut current: Option<(Response, Vec<u8>)> = None;
    while responses.len() < 2 {
        match framed.recv().map_err(adapter)? {
            None => return Err("the server closed before answering".into()),
            Some(Event::Head(r)) => current = Some((r, Vec::new())),
            Some(Event::Data(d)) => {
                if let Some((_, body)) = &mut current {
                    body.extend_from_slice(&d);
                }
            }
            Some(Event::End(trailers)) => {
                let Some((r, body)) = current.take() else {
                    return Err("end before head".into());
                };
                responses.push(
                    r.to_json()
                        .with("body", json::latin1(&body))
                        .with("trailers", fields_json(&trailers)),
                );
            }
        }
    }
    // Closing our end ends the server's loop.
    drop(framed);
    Ok(responses.iter().map(Object::to_string).collect())
}

/// Hostile inputs a strict decoder refuses, each with the error `wire decode http1` prints.
fn hostile(t: &mut Transcript<'_>) -> Result<(), DemoError> {
    t.line("-- hostile requests, each refused with its status code:")?;
    let cases: [(&str, &[u8]); 5] = [
        (
            "CL.TE smuggling",
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
        ),
        (
            "bare LF in a chunk extension",
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2;\nxx\r\n0\r\n\r\n",
        ),
        ("space before colon", b"GET / HTTP/1.1\r\nHost : a\r\n\r\n"),
        (
            "Transfer-Encoding: xchunked",
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n",
        ),
        ("missing Host", b"GET / HTTP/1.1\r\n\r\n"),
    ];
    for (name, input) in cases {
        let mut d = RequestDecoder::default();
        let mut buf = BytesMut::from(input);
        let outcome = loop {
            match d.decode_eof(&mut buf) {
                Ok(Some(_)) => continue,
                Ok(None) => break None,
                Err(e) => break Some(e),
            }
        };
        let Some(e) = outcome else {
            return Err(format!("the decoder accepted the {name} input").into());
        };
        t.line(&format!("-- {name}: {} ({e})", e.status()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn encode(lines: &str) -> Result<Vec<u8>, crate::LineError> {
        crate::encode_lines(&Http1 {}, Role::Client, lines.as_bytes())
    }

    #[test]
    fn nothing_follows_a_response_that_runs_to_close() {
        let close = r#"{"type":"response","version":"HTTP/1.1","status":200,"reason":"OK","headers":[],"body":"hi","trailers":[]}"#;
        let sized = r#"{"type":"response","version":"HTTP/1.1","status":200,"reason":"OK","headers":[["Content-Length","2"]],"body":"hi","trailers":[]}"#;
        let switch = r#"{"type":"response","version":"HTTP/1.1","status":101,"reason":"","headers":[["Upgrade","x"]],"body":"","trailers":[]}"#;
        assert!(encode(&format!("{sized}\n{close}\n")).is_ok());
        let e = encode(&format!("{close}\n{sized}\n")).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("runs to the end of input"), "{e}");
        assert_eq!(encode(&format!("{switch}\n{sized}\n")).unwrap_err().line, 2);
        // What encodes decodes back to the same objects.
        let bytes = encode(&format!("{sized}\n{close}\n")).unwrap();
        let (objects, error) = crate::decode_bytes(&Http1 {}, Role::Client, &bytes);
        assert_eq!(error, None);
        let got: Vec<Value> = objects
            .iter()
            .map(|o| serde_json::from_str(o).unwrap())
            .collect();
        let want: Vec<Value> = [sized, close]
            .iter()
            .map(|o| serde_json::from_str(o).unwrap())
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_request_that_would_not_decode_is_refused() {
        let request = |target: &str| {
            format!(
                r#"{{"type":"request","method":"GET","target":"{target}","version":"HTTP/1.1","headers":[["Host","a"]],"body":"","trailers":[]}}"#
            )
        };
        let lines = format!("{}\n{}\n", request("/a?b"), request("/a<b"));
        let e = crate::encode_lines(&Http1 {}, Role::Server, lines.as_bytes()).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("would not"), "{e}");
    }
}
