//! Bench-only FFI shim: a safe API over nghttp2's C HPACK (RFC 7541) inflater and deflater,
//! through `libnghttp2-sys` (which builds nghttp2 from its bundled sources).
//!
//! It exists so that `http-codec`'s benchmarks can set our HPACK side by side with nghttp2's,
//! the practical limit, while the workspace keeps `unsafe_code = "forbid"`: the `unsafe` FFI
//! calls live here and nowhere else. It is `publish = false` and only a dev-dependency.
//!
//! ```
//! let mut deflater = nghttp2_hpack::Deflater::new(4096).unwrap();
//! let mut block = Vec::new();
//! let fields: [(&[u8], &[u8]); 2] = [(b":method", b"GET"), (b"x-a", b"b")];
//! deflater.deflate(&fields, &mut block).unwrap();
//! let mut inflater = nghttp2_hpack::Inflater::new().unwrap();
//! let mut fields = Vec::new();
//! inflater.inflate(&block, |n, v| fields.push((n.to_vec(), v.to_vec()))).unwrap();
//! assert_eq!(fields, [(b":method".to_vec(), b"GET".to_vec()), (b"x-a".to_vec(), b"b".to_vec())]);
//! ```

use std::ptr::{self, NonNull};

use libnghttp2_sys as sys;

/// An nghttp2 error code (a negative `nghttp2_error`, e.g. -523 for NGHTTP2_ERR_HEADER_COMP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NgError(pub isize);

/// nghttp2's HPACK decoder (`nghttp2_hd_inflater`, RFC 7541 §3) with its dynamic table.
#[derive(Debug)]
pub struct Inflater {
    raw: NonNull<sys::nghttp2_hd_inflater>,
}

impl Inflater {
    /// A decoder with the default dynamic table size of 4096 octets (`nghttp2_hd_inflate_new`).
    pub fn new() -> Result<Inflater, NgError> {
        let mut raw = ptr::null_mut();
        // SAFETY: `raw` is a valid place for the out-pointer; nghttp2 either sets it to a new
        // inflater or returns an error.
        let rv = unsafe { sys::nghttp2_hd_inflate_new(&mut raw) };
        match NonNull::new(raw) {
            Some(raw) if rv == 0 => Ok(Inflater { raw }),
            _ => Err(NgError(rv as isize)),
        }
    }

    /// Decodes one complete header block, calling `field(name, value)` for each field in
    /// order (`nghttp2_hd_inflate_hd3` until FINAL, then `nghttp2_hd_inflate_end_headers`).
    /// Returns the number of fields.
    pub fn inflate(
        &mut self,
        block: &[u8],
        mut field: impl FnMut(&[u8], &[u8]),
    ) -> Result<usize, NgError> {
        let mut rest = block;
        let mut count = 0;
        loop {
            let mut nv = sys::nghttp2_nv {
                name: ptr::null_mut(),
                value: ptr::null_mut(),
                namelen: 0,
                valuelen: 0,
                flags: 0,
            };
            let mut flags = 0;
            // SAFETY: the inflater is live (owned by `self`), `nv` and `flags` are valid out
            // places, and `rest` is a valid slice for its length.
            let rv = unsafe {
                sys::nghttp2_hd_inflate_hd3(
                    self.raw.as_ptr(),
                    &mut nv,
                    &mut flags,
                    rest.as_ptr(),
                    rest.len(),
                    1,
                )
            };
            if rv < 0 {
                return Err(NgError(rv));
            }
            rest = rest.get(rv as usize..).unwrap_or_default();
            if flags & sys::NGHTTP2_HD_INFLATE_EMIT as i32 != 0 {
                // SAFETY: on EMIT nghttp2 points `nv` at `namelen`/`valuelen` valid octets
                // that live until the next call on this inflater (they are read before it).
                let (name, value) = unsafe {
                    (
                        std::slice::from_raw_parts(nv.name, nv.namelen),
                        std::slice::from_raw_parts(nv.value, nv.valuelen),
                    )
                };
                field(name, value);
                count += 1;
            }
            if flags & sys::NGHTTP2_HD_INFLATE_FINAL as i32 != 0 {
                // SAFETY: the inflater is live.
                unsafe { sys::nghttp2_hd_inflate_end_headers(self.raw.as_ptr()) };
                return Ok(count);
            }
            if flags & sys::NGHTTP2_HD_INFLATE_EMIT as i32 == 0 && rest.is_empty() {
                return Ok(count);
            }
        }
    }
}

impl Drop for Inflater {
    fn drop(&mut self) {
        // SAFETY: the inflater was made by nghttp2_hd_inflate_new and is freed once, here.
        unsafe { sys::nghttp2_hd_inflate_del(self.raw.as_ptr()) }
    }
}

/// nghttp2's HPACK encoder (`nghttp2_hd_deflater`, RFC 7541 §3, §7) with its own indexing
/// strategy and Huffman always where shorter.
#[derive(Debug)]
pub struct Deflater {
    raw: NonNull<sys::nghttp2_hd_deflater>,
    nva: Vec<sys::nghttp2_nv>,
}

impl Deflater {
    /// An encoder whose dynamic table is at most `max_table_size` octets
    /// (`nghttp2_hd_deflate_new`).
    pub fn new(max_table_size: usize) -> Result<Deflater, NgError> {
        let mut raw = ptr::null_mut();
        // SAFETY: `raw` is a valid place for the out-pointer.
        let rv = unsafe { sys::nghttp2_hd_deflate_new(&mut raw, max_table_size) };
        match NonNull::new(raw) {
            Some(raw) if rv == 0 => Ok(Deflater {
                raw,
                nva: Vec::new(),
            }),
            _ => Err(NgError(rv as isize)),
        }
    }

    /// Appends the header block of `fields` (name, value) to `out`
    /// (`nghttp2_hd_deflate_bound` then `nghttp2_hd_deflate_hd2`).
    pub fn deflate<N: AsRef<[u8]>, V: AsRef<[u8]>>(
        &mut self,
        fields: &[(N, V)],
        out: &mut Vec<u8>,
    ) -> Result<(), NgError> {
        self.nva.clear();
        self.nva.extend(fields.iter().map(|(n, v)| {
            let (n, v) = (n.as_ref(), v.as_ref());
            sys::nghttp2_nv {
                // nghttp2 only reads them (the C API lacks the const).
                name: n.as_ptr().cast_mut(),
                value: v.as_ptr().cast_mut(),
                namelen: n.len(),
                valuelen: v.len(),
                flags: sys::NGHTTP2_NV_FLAG_NONE as u8,
            }
        }));
        // SAFETY: the deflater is live; `nva` holds `nva.len()` entries whose pointers are
        // valid for their lengths for this call (they borrow `fields`).
        let bound = unsafe {
            sys::nghttp2_hd_deflate_bound(self.raw.as_ptr(), self.nva.as_ptr(), self.nva.len())
        };
        out.reserve(bound);
        let start = out.len();
        // SAFETY: as above; `out` has at least `bound` spare octets from `start`, which nghttp2
        // writes at most; the length is set to what it reports having written.
        let rv = unsafe {
            sys::nghttp2_hd_deflate_hd2(
                self.raw.as_ptr(),
                out.as_mut_ptr().add(start),
                out.capacity() - start,
                self.nva.as_ptr(),
                self.nva.len(),
            )
        };
        self.nva.clear();
        if rv < 0 {
            return Err(NgError(rv));
        }
        // SAFETY: nghttp2 initialised `rv` octets from `start`, within the capacity.
        unsafe { out.set_len(start + rv as usize) };
        Ok(())
    }
}

impl Drop for Deflater {
    fn drop(&mut self) {
        // SAFETY: the deflater was made by nghttp2_hd_deflate_new and is freed once, here.
        unsafe { sys::nghttp2_hd_deflate_del(self.raw.as_ptr()) }
    }
}
