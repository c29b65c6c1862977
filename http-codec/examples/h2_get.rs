//! An HTTP/2 client (h2c with prior knowledge) on the sans-IO `http_codec::h2::Connection`,
//! driven over tokio by `framing::tokio::SessionDriver`: fetches every URL over one connection,
//! the requests on concurrent streams (as many at once as the server's
//! SETTINGS_MAX_CONCURRENT_STREAMS allows), and prints, in the order given, each URL's status,
//! header fields and body length.
//!
//!   cargo run --example h2_get -- http://127.0.0.1:8080/hello http://127.0.0.1:8080/big
//!
//! Output per URL:
//!
//! ```text
//! == http://127.0.0.1:8080/hello
//! status: 200
//! content-length: 14
//! body: 14 bytes
//! ```
//!
//! `http://` URLs only, all with the same host and port.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use framing::tokio::SessionDriver;
use http_codec::Request;
use http_codec::h2::{Config, ConnEvent, Connection, SendError};
use tokio::net::TcpStream;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// What came back for one URL.
#[derive(Default)]
struct Fetched {
    status: Option<u16>,
    headers: Vec<(String, String)>,
    body: usize,
    done: bool,
    error: Option<String>,
}

/// `http://host[:port]/path` → (`host:port`, `/path`).
fn split_url(url: &str) -> Result<(String, String), Error> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| format!("{url}: only http:// URLs (h2c) are supported"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, "/"),
    };
    if authority.is_empty() {
        return Err(format!("{url}: no host").into());
    }
    let authority = match authority.contains(':') {
        true => authority.to_owned(),
        false => format!("{authority}:80"),
    };
    Ok((authority, path.to_owned()))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let urls: Vec<String> = std::env::args().skip(1).collect();
    if urls.is_empty() {
        return Err("usage: h2_get URL...".into());
    }
    let mut targets = Vec::new();
    for url in &urls {
        targets.push(split_url(url)?);
    }
    let authority = targets.first().map(|(a, _)| a.clone()).unwrap_or_default();
    if let Some((other, _)) = targets.iter().find(|(a, _)| *a != authority) {
        return Err(
            format!("all URLs must share one host and port ({authority} ≠ {other})").into(),
        );
    }
    let stream =
        tokio::time::timeout(Duration::from_secs(10), TcpStream::connect(&authority)).await??;
    stream.set_nodelay(true)?;
    let mut driver = SessionDriver::new(stream, Connection::client(Config::default()))
        .idle_timeout(Duration::from_secs(30));

    let mut results: Vec<Fetched> = targets.iter().map(|_| Fetched::default()).collect();
    let mut waiting: VecDeque<usize> = (0..targets.len()).collect();
    let mut streams: HashMap<u32, usize> = HashMap::new();
    let mut remaining = targets.len();
    // One request first: by its first event the server's SETTINGS (its stream limit) are in;
    // then the rest go out as streams are allowed.
    let mut settled = false;
    while remaining > 0 {
        {
            while let Some(&i) = waiting.front() {
                if !settled && !streams.is_empty() {
                    break;
                }
                let Some((_, path)) = targets.get(i) else {
                    break;
                };
                let request = Request::get(path.as_str()).header("Host", &authority)?;
                match driver.session_mut().send_request(request, true) {
                    Ok(id) => {
                        streams.insert(id, i);
                        waiting.pop_front();
                    }
                    Err(SendError::TooManyStreams(_)) => break,
                    Err(e) => return Err(e.into()),
                }
            }
        }
        let event = match driver.next_event().await? {
            Ok(event) => event,
            Err(e) => return Err(e.into()),
        };
        settled = true;
        let mut finish = |streams: &mut HashMap<u32, usize>,
                          results: &mut Vec<Fetched>,
                          stream: u32,
                          error: Option<String>| {
            if let Some(i) = streams.remove(&stream)
                && let Some(r) = results.get_mut(i)
                && !r.done
            {
                r.done = true;
                r.error = error;
                remaining -= 1;
            }
        };
        match event {
            ConnEvent::Response {
                stream,
                response,
                end_stream,
            } => {
                if let Some(r) = streams.get(&stream).and_then(|&i| results.get_mut(i))
                    && !response.is_informational()
                {
                    r.status = Some(response.status);
                    r.headers = response
                        .headers
                        .iter()
                        .map(|f| {
                            (
                                String::from_utf8_lossy(f.name()).into_owned(),
                                String::from_utf8_lossy(f.value()).into_owned(),
                            )
                        })
                        .collect();
                }
                if end_stream && !response.is_informational() {
                    finish(&mut streams, &mut results, stream, None);
                }
            }
            ConnEvent::Data {
                stream,
                data,
                end_stream,
            } => {
                if let Some(r) = streams.get(&stream).and_then(|&i| results.get_mut(i)) {
                    r.body += data.len();
                }
                driver
                    .session_mut()
                    .release_capacity(stream, data.len() as u32);
                if end_stream {
                    finish(&mut streams, &mut results, stream, None);
                }
            }
            ConnEvent::Trailers { stream, .. } => finish(&mut streams, &mut results, stream, None),
            ConnEvent::Reset { stream, code } => finish(
                &mut streams,
                &mut results,
                stream,
                Some(format!("reset: {code:?}")),
            ),
            ConnEvent::StreamError(e) => {
                if let http_codec::h2::Scope::Stream(stream) = e.scope {
                    finish(&mut streams, &mut results, stream, Some(e.to_string()));
                }
            }
            ConnEvent::GoAway { unprocessed, .. } => {
                for stream in unprocessed {
                    finish(
                        &mut streams,
                        &mut results,
                        stream,
                        Some("refused by GOAWAY".to_owned()),
                    );
                }
            }
            ConnEvent::Closed => break,
            _ => {}
        }
    }
    driver
        .session_mut()
        .goaway(http_codec::h2::ErrorCode::NO_ERROR);
    let _ = driver.flush().await;

    let mut failed = false;
    for (url, r) in urls.iter().zip(&results) {
        println!("== {url}");
        match (&r.error, r.status, r.done) {
            (Some(e), _, _) => {
                failed = true;
                println!("error: {e}");
            }
            (None, Some(status), true) => {
                println!("status: {status}");
                for (name, value) in &r.headers {
                    println!("{name}: {value}");
                }
                println!("body: {} bytes", r.body);
            }
            _ => {
                failed = true;
                println!("error: no complete response");
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
    Ok(())
}
