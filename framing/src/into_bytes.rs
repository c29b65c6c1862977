//! Byte strings in, whichever way the caller holds them: owned buffers move without a copy,
//! borrowed slices and strings are copied, so a constructor never demands `'static` data.

use bytes::{Bytes, BytesMut};

/// A value that can become [`Bytes`]: without a copy for `Bytes`, `BytesMut`, `Vec<u8>`,
/// `String` and `Box<[u8]>`; with one for borrowed `&[u8]`, `&str`, `&[u8; N]`, `&String`,
/// `&Vec<u8>` and `&Bytes` (the last is a reference count, not a copy).
///
/// For a `'static` literal that should not be copied, pass `Bytes::from_static(b"...")`.
///
/// ```
/// use framing::IntoBytes;
///
/// let line = String::from("hello");
/// let borrowed: &str = &line;                 // not 'static: copied
/// assert_eq!(borrowed.into_shared(), "hello");
/// assert_eq!(line.into_shared(), "hello");     // moved, no copy
/// ```
pub trait IntoBytes {
    /// The bytes, as a shared [`Bytes`] buffer.
    fn into_shared(self) -> Bytes;
}

impl IntoBytes for Bytes {
    fn into_shared(self) -> Bytes {
        self
    }
}

impl IntoBytes for &Bytes {
    fn into_shared(self) -> Bytes {
        self.clone()
    }
}

impl IntoBytes for BytesMut {
    fn into_shared(self) -> Bytes {
        self.freeze()
    }
}

impl IntoBytes for Vec<u8> {
    fn into_shared(self) -> Bytes {
        Bytes::from(self)
    }
}

impl IntoBytes for &Vec<u8> {
    fn into_shared(self) -> Bytes {
        Bytes::copy_from_slice(self)
    }
}

impl IntoBytes for Box<[u8]> {
    fn into_shared(self) -> Bytes {
        Bytes::from(self)
    }
}

impl IntoBytes for String {
    fn into_shared(self) -> Bytes {
        Bytes::from(self)
    }
}

impl IntoBytes for &String {
    fn into_shared(self) -> Bytes {
        Bytes::copy_from_slice(self.as_bytes())
    }
}

impl IntoBytes for &[u8] {
    fn into_shared(self) -> Bytes {
        Bytes::copy_from_slice(self)
    }
}

impl<const N: usize> IntoBytes for &[u8; N] {
    fn into_shared(self) -> Bytes {
        Bytes::copy_from_slice(self)
    }
}

impl IntoBytes for &str {
    fn into_shared(self) -> Bytes {
        Bytes::copy_from_slice(self.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owned_values_move_and_borrowed_ones_copy() {
        let v = vec![1u8, 2, 3];
        let ptr = v.as_ptr();
        let b = v.into_shared();
        assert_eq!(b.as_ptr(), ptr, "a Vec moves into Bytes");
        let s = String::from("abc");
        let copied = s.as_str().into_shared();
        assert_ne!(copied.as_ptr(), s.as_ptr(), "a borrowed str is copied");
        assert_eq!(copied, "abc");
        assert_eq!((&[7u8, 8]).into_shared(), &[7u8, 8][..]);
        assert_eq!((&b).into_shared().as_ptr(), b.as_ptr(), "a &Bytes shares");
    }
}
