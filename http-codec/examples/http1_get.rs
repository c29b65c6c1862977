//! A blocking HTTP/1.1 client that pipelines GET requests to one origin on one connection, then
//! prints each response's status line, header fields and body length, in order.
//!
//!   cargo run --example http1_get -- http://127.0.0.1:8080/hello http://127.0.0.1:8080/big
//!
//! Plain `http://` only (no TLS); every URL must have the same host and port.

use std::net::TcpStream;
use std::time::Duration;

use http_codec::Request;
use http_codec::blocking::Client;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let urls: Vec<String> = std::env::args().skip(1).collect();
    let parsed = urls
        .iter()
        .map(|u| split_url(u))
        .collect::<Result<Vec<_>, _>>()?;
    let Some((authority, _)) = parsed.first() else {
        return Err("usage: http1_get URL...".into());
    };
    if parsed.iter().any(|(a, _)| a != authority) {
        return Err("every URL must have the same origin (one connection)".into());
    }
    let port = if authority.contains(':') { "" } else { ":80" };
    let stream = TcpStream::connect(format!("{authority}{port}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut client = Client::new(stream);
    for (_, path) in &parsed {
        client.send(Request::get(path).header("Host", authority)?, "")?;
    }
    for _ in &parsed {
        let response = client.recv()?;
        println!("{}\nbody: {} bytes\n", response.head, response.body.len());
    }
    Ok(())
}

/// `http://host[:port][/path]` as (`host[:port]`, `/path`).
fn split_url(url: &str) -> Result<(String, String), String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or(format!("{url}: only http:// URLs"))?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    Ok((
        authority.to_string(),
        if path.is_empty() { "/" } else { path }.to_string(),
    ))
}
