//! Shared by the HTTP/2 benchmarks: the hpack-test-case stories, and an in-memory transport for
//! h2's `Codec` (its `unstable` feature), polled without a runtime.

#![allow(dead_code)]

use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_codec::h2::hpack::HeaderField;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// One story of the hpack-test-case set: its header blocks and its header lists.
pub struct Story {
    pub blocks: Vec<Bytes>,
    pub lists: Vec<Vec<HeaderField>>,
}

/// Where the stories are read from: the full set in `../shared/vectors/hpack` beside the
/// workspace when it is there (all its stories), else the subset kept in `tests/vectors/hpack`
/// (its first 20 stories per directory).
pub fn vectors_root() -> (PathBuf, Option<usize>) {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = manifest.join("../../shared/vectors/hpack");
    if shared.is_dir() {
        (shared, None)
    } else {
        (manifest.join("tests/vectors/hpack"), Some(20))
    }
}

/// The stories of one directory (`nghttp2`, `go-hpack`, `raw-data`, ...).
pub fn load(dir: &str) -> Vec<Story> {
    let (root, limit) = vectors_root();
    let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    if let Some(limit) = limit {
        paths.truncate(limit);
    }
    paths
        .iter()
        .map(|p| {
            let json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            let mut story = Story {
                blocks: Vec::new(),
                lists: Vec::new(),
            };
            for case in json["cases"].as_array().unwrap() {
                if let Some(w) = case.get("wire").and_then(|w| w.as_str()) {
                    story.blocks.push(Bytes::from(hex(w)));
                }
                story.lists.push(
                    case["headers"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .flat_map(|h| h.as_object().unwrap().iter())
                        .map(|(n, v)| {
                            HeaderField::new(
                                n.as_bytes().to_vec(),
                                v.as_str().unwrap().as_bytes().to_vec(),
                            )
                        })
                        .collect(),
                );
            }
            story
        })
        .collect()
}

/// An in-memory transport for h2's `Codec`: reads come from `input`, writes are counted and
/// dropped. Every poll is ready, so no executor is needed: a no-op waker drives it.
pub struct MemIo {
    pub input: Bytes,
    pub written: usize,
}

impl MemIo {
    pub fn new(input: Bytes) -> MemIo {
        MemIo { input, written: 0 }
    }
}

impl tokio::io::AsyncRead for MemIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let n = buf.remaining().min(self.input.len());
        let chunk = self.input.split_to(n);
        buf.put_slice(&chunk);
        Poll::Ready(Ok(()))
    }
}

impl tokio::io::AsyncWrite for MemIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.written += buf.len();
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

/// A context whose waker does nothing (every poll of [`MemIo`] is ready).
pub fn noop_context() -> Context<'static> {
    Context::from_waker(std::task::Waker::noop())
}

/// HTTP/2 frame header (RFC 9113 §4.1) of a HEADERS frame with END_HEADERS | END_STREAM.
pub fn headers_frame(stream: u32, block: &[u8], out: &mut Vec<u8>) {
    let len = (block.len() as u32).to_be_bytes();
    out.extend_from_slice(&[len[1], len[2], len[3], 0x1, 0x5]);
    out.extend_from_slice(&stream.to_be_bytes());
    out.extend_from_slice(block);
}
