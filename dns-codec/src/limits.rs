//! Limits of the decoder, with defaults that are safe for a server or a scanner reading hostile
//! messages.
//!
//! Name decompression is where DNS decoders have gone quadratic: a long chain of compression
//! pointers referenced by many names makes each name walk the whole chain. Two limits bound it:
//! [`Limits::max_pointer_hops`] per name, and a budget of one pointer follow per byte of the
//! message for the whole message, so the work of decoding names is linear in the message size.

/// Limits of [`crate::Message::decode_with`] (RFC 1035 §4.1.4 and §4.2 leave them to the
/// implementation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest message accepted. Default 65535, the most a TCP length prefix can say
    /// (RFC 1035 §4.2.2) and the most an IPv4 or IPv6 UDP datagram can carry.
    pub max_message_size: usize,
    /// Compression pointers one name may follow. Default 127: a name of 255 octets has at most
    /// 127 labels, and a compressor has no reason to put a pointer anywhere but after a label.
    pub max_pointer_hops: usize,
    /// Compression pointers the whole message may follow, per byte of the message. Default 1:
    /// a pointer takes two bytes and a legitimate compressor points each name once, at most a
    /// few times through a chain of suffixes; a 64 KiB message with a 16 000-hop chain
    /// referenced by 2 000 names runs out after 65 535 follows instead of doing 32 million.
    pub pointer_follows_per_byte: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_message_size: 65535,
            max_pointer_hops: 127,
            pointer_follows_per_byte: 1,
        }
    }
}
