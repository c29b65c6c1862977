//! The header block decoder (RFC 7541 §3, §6).
//!
//! A block is a sequence of representations:
//!
//! ```text
//! 1xxxxxxx  indexed header field (§6.1), 7-bit index
//! 01xxxxxx  literal with incremental indexing (§6.2.1), 6-bit name index or 0 + literal name
//! 0000xxxx  literal without indexing (§6.2.2), 4-bit name index or 0 + literal name
//! 0001xxxx  literal never indexed (§6.2.3), 4-bit name index or 0 + literal name
//! 001xxxxx  dynamic table size update (§6.3), 5-bit size; only before the first field (§4.2)
//! ```
//!
//! The decoded header list is bounded while it is decoded: before a field is added (or a
//! literal string of it decoded) the decoder checks that the list stays within
//! [`Decoder::set_max_header_list_size`] (name + value + 32 octets per field, RFC 9113 §10.5.1,
//! the SETTINGS_MAX_HEADER_LIST_SIZE accounting of §6.5.2) and
//! [`Decoder::set_max_field_count`]. A block of a few KiB that references one large dynamic
//! entry thousands of times (a header-list bomb) is refused at the limit, not after building a
//! list of hundreds of MiB.

use bytes::Bytes;

use super::error::{Error, ErrorKind};
use super::field::{ENTRY_OVERHEAD, HeaderField};
use super::table::{DynamicTable, STATIC_LEN, lookup, static_entry};
use super::{integer, string};

/// The default limit of the decoded header list, in octets (name + value + 32 per field,
/// RFC 9113 §6.5.2, §10.5.1): 64 KiB.
pub const DEFAULT_MAX_HEADER_LIST_SIZE: usize = 64 * 1024;

/// The default limit of the number of fields in one header block (RFC 9113 §10.5.1): 1024.
pub const DEFAULT_MAX_FIELD_COUNT: usize = 1024;

/// The default dynamic table size of HTTP/2 (SETTINGS_HEADER_TABLE_SIZE's initial value,
/// RFC 9113 §6.5.2): 4096 octets.
pub const DEFAULT_TABLE_SIZE: usize = 4096;

/// Decodes header blocks into header lists, keeping the dynamic table from block to block
/// (RFC 7541 §3). One decoder per direction of a connection.
///
/// After an error the dynamic table may no longer match the encoder's: the connection has to
/// end with COMPRESSION_ERROR (RFC 9113 §4.3); the decoder is not meant to be used again.
///
/// ```
/// use bytes::Bytes;
/// use http_codec::h2::hpack::{Decoder, HeaderField};
///
/// let mut decoder = Decoder::new(4096);
/// // RFC 7541 C.3.1
/// let block = Bytes::from_static(b"\x82\x86\x84\x41\x0fwww.example.com");
/// let fields = decoder.decode(&block)?;
/// assert_eq!(fields[3], HeaderField::new(":authority", "www.example.com"));
/// assert_eq!(decoder.table().size(), 57);
/// # Ok::<(), http_codec::h2::hpack::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Decoder {
    table: DynamicTable,
    /// The largest table size the encoder may ask for (our SETTINGS_HEADER_TABLE_SIZE).
    limit: usize,
    /// Set when the limit went below the table's size: the next block has to start with a size
    /// update to at most this (RFC 7541 §4.2).
    required_update: Option<usize>,
    max_header_list_size: usize,
    max_field_count: usize,
    /// Where Huffman-coded names and values are decoded (reused): [`Self::decode_with`] lends
    /// them out, [`Self::decode`] copies them out at their exact size.
    scratch: (Vec<u8>, Vec<u8>),
}

impl Default for Decoder {
    fn default() -> Decoder {
        Decoder::new(DEFAULT_TABLE_SIZE)
    }
}

impl Decoder {
    /// A decoder whose dynamic table starts at `max_table_size` octets, which is also the
    /// limit for size updates (the SETTINGS_HEADER_TABLE_SIZE both peers start from; 4096 in
    /// HTTP/2, RFC 9113 §6.5.2).
    pub fn new(max_table_size: usize) -> Decoder {
        Decoder {
            table: DynamicTable::new(max_table_size),
            limit: max_table_size,
            required_update: None,
            max_header_list_size: DEFAULT_MAX_HEADER_LIST_SIZE,
            max_field_count: DEFAULT_MAX_FIELD_COUNT,
            scratch: (Vec::new(), Vec::new()),
        }
    }

    /// Sets the limit for the dynamic table size, once the peer has acknowledged our
    /// SETTINGS_HEADER_TABLE_SIZE (RFC 7541 §4.2, RFC 9113 §6.5.3). Size updates above it are
    /// refused (§6.3). When it is below the table's current maximum, the next block must start
    /// with a size update to at most it (§4.2).
    pub fn set_max_table_size(&mut self, limit: usize) {
        self.limit = limit;
        if limit < self.table.max_size() {
            self.required_update = Some(self.required_update.map_or(limit, |r| r.min(limit)));
        }
    }

    /// The limit for the dynamic table size (RFC 7541 §4.2; see [`Self::set_max_table_size`]).
    pub fn max_table_size(&self) -> usize {
        self.limit
    }

    /// Bounds the decoded header list: name + value + 32 octets per field (RFC 9113 §10.5.1,
    /// §6.5.2). Default [`DEFAULT_MAX_HEADER_LIST_SIZE`]. A block that would decode past it is
    /// refused ([`ErrorKind::HeaderListTooLarge`]) before the field that crosses it is built.
    /// Advertise it to the peer as SETTINGS_MAX_HEADER_LIST_SIZE.
    pub fn set_max_header_list_size(&mut self, octets: usize) {
        self.max_header_list_size = octets;
    }

    /// The limit of the decoded header list (RFC 9113 §10.5.1; see
    /// [`Self::set_max_header_list_size`]).
    pub fn max_header_list_size(&self) -> usize {
        self.max_header_list_size
    }

    /// Bounds the number of fields of one block (RFC 9113 §10.5.1: many small fields cost
    /// per-field work and memory even under the size limit). Default
    /// [`DEFAULT_MAX_FIELD_COUNT`].
    pub fn set_max_field_count(&mut self, fields: usize) {
        self.max_field_count = fields;
    }

    /// The limit of the number of fields (RFC 9113 §10.5.1; see [`Self::set_max_field_count`]).
    pub fn max_field_count(&self) -> usize {
        self.max_field_count
    }

    /// The dynamic table (RFC 7541 §2.3.2).
    pub fn table(&self) -> &DynamicTable {
        &self.table
    }

    /// Decodes one complete header block (the HEADERS or PUSH_PROMISE fragment with its
    /// CONTINUATIONs, RFC 9113 §4.3) into its header list, in order (RFC 7541 §3.2). Strings
    /// sent raw are slices of `block`; entries added to the dynamic table are copies, so a
    /// table entry never keeps a whole block alive.
    pub fn decode(&mut self, block: &Bytes) -> Result<Vec<HeaderField>, Error> {
        let mut out = Vec::new();
        self.decode_into(block, &mut out)?;
        Ok(out)
    }

    /// [`Self::decode`] from a slice (copied once into a `Bytes`), RFC 7541 §3.2.
    pub fn decode_slice(&mut self, block: &[u8]) -> Result<Vec<HeaderField>, Error> {
        self.decode(&Bytes::copy_from_slice(block))
    }

    /// [`Self::decode`], appending to `out` (reusing its allocation; RFC 7541 §3.2). On an error
    /// `out` is left as it was.
    pub fn decode_into(&mut self, block: &Bytes, out: &mut Vec<HeaderField>) -> Result<(), Error> {
        let before = out.len();
        let result = self.decode_block(block, out);
        if result.is_err() {
            out.truncate(before);
        }
        result
    }

    /// Decodes one complete header block like [`Self::decode`] (RFC 7541 §3.2), with the same
    /// checks and limits, but hands each field to `field(name, value, never_indexed)` as
    /// borrowed octets instead of building a list: slices of `block`, of the tables, or of a
    /// buffer the decoder reuses for Huffman-coded strings (§5.2). Nothing is allocated but
    /// the copies a new dynamic table entry keeps (§6.2.1).
    ///
    /// On an error, the fields before it have been handed over already: a caller that acts on
    /// them before the block is known good has to be ready to undo that.
    ///
    /// ```
    /// use http_codec::h2::hpack::Decoder;
    ///
    /// let mut decoder = Decoder::new(4096);
    /// // RFC 7541 C.4.1
    /// let block = b"\x82\x86\x84\x41\x8c\xf1\xe3\xc2\xe5\xf2\x3a\x6b\xa0\xab\x90\xf4\xff";
    /// let mut authority = Vec::new();
    /// decoder.decode_with(block, |name, value, _| {
    ///     if name == b":authority" {
    ///         authority = value.to_vec();
    ///     }
    /// })?;
    /// assert_eq!(authority, b"www.example.com");
    /// # Ok::<(), http_codec::h2::hpack::Error>(())
    /// ```
    pub fn decode_with(
        &mut self,
        block: &[u8],
        mut field: impl FnMut(&[u8], &[u8], bool),
    ) -> Result<(), Error> {
        let mut pos = 0;
        let mut list = self.list_budget();
        let mut fields_started = false;
        while let Some(&first) = block.get(pos) {
            if let Some(next) = self.before_field(block, pos, &mut fields_started, &list)? {
                pos = next;
                continue;
            }
            if first & 0x80 != 0 {
                // §6.1 indexed header field.
                let (index, next) = integer::decode_at(block, pos, 7)?;
                let (name, value) = indexed_ref(&self.table, index, pos)?;
                list.add(name.len() + value.len(), pos)?;
                field(name, value, false);
                pos = next;
                continue;
            }
            // §6.2.1 with incremental indexing (01), §6.2.2 without (0000), §6.2.3 never
            // indexed (0001).
            let incremental = first & 0x40 != 0;
            let prefix = if incremental { 6 } else { 4 };
            let (index, mut p) = integer::decode_at(block, pos, prefix)?;
            let mut budget = list.remaining(pos)?;
            let (name_buf, value_buf) = &mut self.scratch;
            let name = if index == 0 {
                let (name, next) = read_borrowed(block, p, budget, list.max_size, pos, name_buf)?;
                p = next;
                name
            } else {
                indexed_ref(&self.table, index, pos)?.0
            };
            budget = budget
                .checked_sub(name.len())
                .ok_or_else(|| list.too_large(pos))?;
            let (value, next) = read_borrowed(block, p, budget, list.max_size, pos, value_buf)?;
            list.add(name.len() + value.len(), pos)?;
            if incremental {
                let entry =
                    HeaderField::new(Bytes::copy_from_slice(name), Bytes::copy_from_slice(value));
                field(&entry.name, &entry.value, false);
                self.table.insert(entry);
            } else {
                field(name, value, first & 0x10 != 0);
            }
            pos = next;
        }
        if !fields_started {
            self.check_required_update(pos)?;
        }
        Ok(())
    }

    /// A dynamic table size update at `pos` (§6.3): only before the first field, at most the
    /// limit; returns the position after it.
    fn size_update(
        &mut self,
        block: &[u8],
        pos: usize,
        fields_started: bool,
    ) -> Result<usize, Error> {
        if fields_started {
            return Err(Error::at(pos, ErrorKind::SizeUpdateAfterField));
        }
        let (size, next) = integer::decode_at(block, pos, 5)?;
        if size as usize > self.limit {
            return Err(Error::at(
                pos,
                ErrorKind::SizeUpdateTooLarge {
                    requested: size,
                    limit: self.limit as u64,
                },
            ));
        }
        if self.required_update.is_some_and(|r| size as usize <= r) {
            self.required_update = None;
        }
        self.table.set_max_size(size as usize);
        Ok(next)
    }

    fn decode_block(&mut self, block: &Bytes, out: &mut Vec<HeaderField>) -> Result<(), Error> {
        let mut pos = 0;
        let mut list = self.list_budget();
        let mut fields_started = false;
        while let Some(&first) = block.get(pos) {
            if let Some(next) = self.before_field(block, pos, &mut fields_started, &list)? {
                pos = next;
                continue;
            }
            if first & 0x80 != 0 {
                // §6.1 indexed header field.
                let (index, next) = integer::decode_at(block, pos, 7)?;
                let (name, value) = self.indexed(index, pos)?;
                list.add(name.len() + value.len(), pos)?;
                out.push(HeaderField {
                    name,
                    value,
                    sensitive: false,
                });
                pos = next;
            } else if first & 0x40 != 0 {
                // §6.2.1 literal with incremental indexing.
                let (field, next, raw) = self.literal(block, pos, 6, &mut list)?;
                let entry = HeaderField {
                    name: if raw.0 {
                        Bytes::copy_from_slice(&field.name)
                    } else {
                        field.name.clone()
                    },
                    value: if raw.1 {
                        Bytes::copy_from_slice(&field.value)
                    } else {
                        field.value.clone()
                    },
                    sensitive: false,
                };
                self.table.insert(entry);
                out.push(field);
                pos = next;
            } else {
                // §6.2.2 without indexing (0000), §6.2.3 never indexed (0001).
                let (mut field, next, _) = self.literal(block, pos, 4, &mut list)?;
                field.sensitive = first & 0x10 != 0;
                out.push(field);
                pos = next;
            }
        }
        if !fields_started {
            self.check_required_update(pos)?;
        }
        Ok(())
    }

    /// The budget of one header list (RFC 9113 §10.5.1), empty.
    fn list_budget(&self) -> ListBudget {
        ListBudget {
            size: 0,
            count: 0,
            max_size: self.max_header_list_size,
            max_count: self.max_field_count,
        }
    }

    /// What comes before each field representation at `pos`, for both decode loops: a dynamic
    /// table size update (§6.3, only before the first field, §4.2) is read, and the position
    /// after it returned; before the first field, a size update owed since the last block
    /// (§4.2) is checked; then the field count limit. `None`: a field starts at `pos`.
    fn before_field(
        &mut self,
        block: &[u8],
        pos: usize,
        fields_started: &mut bool,
        list: &ListBudget,
    ) -> Result<Option<usize>, Error> {
        if block.get(pos).is_some_and(|first| first & 0xe0 == 0x20) {
            return self.size_update(block, pos, *fields_started).map(Some);
        }
        if !*fields_started {
            self.check_required_update(pos)?;
            *fields_started = true;
        }
        list.check_count(pos)?;
        Ok(None)
    }

    fn check_required_update(&self, pos: usize) -> Result<(), Error> {
        match self.required_update {
            Some(limit) => Err(Error::at(
                pos,
                ErrorKind::SizeUpdateMissing {
                    limit: limit as u64,
                },
            )),
            None => Ok(()),
        }
    }

    /// The name and value at `index` (§6.1: 0 is an error; §2.3.3: past the end is one).
    fn indexed(&self, index: u32, pos: usize) -> Result<(Bytes, Bytes), Error> {
        if index == 0 {
            return Err(Error::at(pos, ErrorKind::IndexZero));
        }
        lookup(&self.table, index as usize).ok_or_else(|| {
            Error::at(
                pos,
                ErrorKind::IndexOutOfRange {
                    index,
                    max: (STATIC_LEN + self.table.len()) as u32,
                },
            )
        })
    }

    /// A literal representation at `pos` with a `prefix`-bit name index: the field (not yet
    /// sensitive), the position after it, and whether name and value are slices of the block.
    fn literal(
        &mut self,
        block: &Bytes,
        pos: usize,
        prefix: u8,
        list: &mut ListBudget,
    ) -> Result<(HeaderField, usize, (bool, bool)), Error> {
        let (index, mut p) = integer::decode_at(block, pos, prefix)?;
        let mut budget = list.remaining(pos)?;
        let name_raw;
        let name = if index == 0 {
            name_raw = block.get(p).is_some_and(|&b| b & 0x80 == 0);
            let (name, next) =
                read_string(block, p, budget, list.max_size, pos, &mut self.scratch.0)?;
            p = next;
            name
        } else {
            name_raw = false;
            self.indexed(index, pos)?.0
        };
        budget = budget
            .checked_sub(name.len())
            .ok_or_else(|| list.too_large(pos))?;
        let value_raw = block.get(p).is_some_and(|&b| b & 0x80 == 0);
        let (value, next) = read_string(block, p, budget, list.max_size, pos, &mut self.scratch.0)?;
        list.add(name.len() + value.len(), pos)?;
        let field = HeaderField {
            name,
            value,
            sensitive: false,
        };
        Ok((field, next, (name_raw, value_raw)))
    }
}

/// The name and value at `index`, borrowed (§6.1: 0 is an error; §2.3.3: past the end is
/// one).
fn indexed_ref(table: &DynamicTable, index: u32, pos: usize) -> Result<(&[u8], &[u8]), Error> {
    if index == 0 {
        return Err(Error::at(pos, ErrorKind::IndexZero));
    }
    let index = index as usize;
    let found = if index <= STATIC_LEN {
        static_entry(index)
    } else {
        table
            .get(index - STATIC_LEN)
            .map(|f| (&f.name[..], &f.value[..]))
    };
    found.ok_or_else(|| {
        Error::at(
            pos,
            ErrorKind::IndexOutOfRange {
                index: index as u32,
                max: (STATIC_LEN + table.len()) as u32,
            },
        )
    })
}

/// [`read_string`], borrowed ([`string::decode_borrowed`]).
fn read_borrowed<'a>(
    block: &'a [u8],
    p: usize,
    budget: usize,
    max_size: usize,
    pos: usize,
    scratch: &'a mut Vec<u8>,
) -> Result<(&'a [u8], usize), Error> {
    match string::decode_borrowed(block, p, budget, scratch) {
        Ok(r) => Ok(r),
        Err(string::Failure::Invalid(e)) => Err(e),
        Err(string::Failure::Limit) => Err(Error::at(
            pos,
            ErrorKind::HeaderListTooLarge {
                limit: max_size as u64,
            },
        )),
    }
}

/// A string literal at `p`, at most `budget` octets once decoded.
fn read_string(
    block: &Bytes,
    p: usize,
    budget: usize,
    max_size: usize,
    pos: usize,
    scratch: &mut Vec<u8>,
) -> Result<(Bytes, usize), Error> {
    match string::decode_at_with(block, p, budget, scratch) {
        Ok(r) => Ok(r),
        Err(string::Failure::Invalid(e)) => Err(e),
        Err(string::Failure::Limit) => Err(Error::at(
            pos,
            ErrorKind::HeaderListTooLarge {
                limit: max_size as u64,
            },
        )),
    }
}

/// What the header list has used of its limits so far.
struct ListBudget {
    size: usize,
    count: usize,
    max_size: usize,
    max_count: usize,
}

impl ListBudget {
    fn too_large(&self, pos: usize) -> Error {
        Error::at(
            pos,
            ErrorKind::HeaderListTooLarge {
                limit: self.max_size as u64,
            },
        )
    }

    fn check_count(&self, pos: usize) -> Result<(), Error> {
        if self.count >= self.max_count {
            return Err(Error::at(
                pos,
                ErrorKind::TooManyFields {
                    limit: self.max_count as u64,
                },
            ));
        }
        Ok(())
    }

    /// The octets of name + value one more field may have.
    fn remaining(&self, pos: usize) -> Result<usize, Error> {
        self.max_size
            .checked_sub(self.size)
            .and_then(|r| r.checked_sub(ENTRY_OVERHEAD))
            .ok_or_else(|| self.too_large(pos))
    }

    /// Accounts a field of `octets` (name + value) octets.
    fn add(&mut self, octets: usize, pos: usize) -> Result<(), Error> {
        let size = self
            .size
            .saturating_add(octets)
            .saturating_add(ENTRY_OVERHEAD);
        if size > self.max_size {
            return Err(self.too_large(pos));
        }
        self.size = size;
        self.count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]
    use super::*;

    fn kind(d: &mut Decoder, block: &'static [u8]) -> ErrorKind {
        d.decode(&Bytes::from_static(block)).unwrap_err().kind
    }

    #[test]
    fn representations() {
        let mut d = Decoder::new(4096);
        // §6.1
        assert_eq!(
            d.decode_slice(b"\x82").unwrap(),
            [HeaderField::new(":method", "GET")]
        );
        // §6.2.2 with an indexed name: not added.
        let f = d.decode_slice(b"\x04\x0c/sample/path").unwrap();
        assert_eq!(f, [HeaderField::new(":path", "/sample/path")]);
        assert!(d.table().is_empty());
        // §6.2.3: kept as never indexed.
        let f = d.decode_slice(b"\x10\x08password\x06secret").unwrap();
        assert_eq!(f, [HeaderField::sensitive("password", "secret")]);
        assert!(d.table().is_empty());
        // §6.2.1: added, then referenced as 62.
        d.decode_slice(b"\x40\x0acustom-key\x0dcustom-header")
            .unwrap();
        assert_eq!(d.table().size(), 55);
        assert_eq!(
            d.decode_slice(b"\xbe").unwrap(),
            [HeaderField::new("custom-key", "custom-header")]
        );
        // Dynamic name with a new value.
        let f = d.decode_slice(b"\x7e\x01x").unwrap();
        assert_eq!(f, [HeaderField::new("custom-key", "x")]);
        assert_eq!(d.table().len(), 2);
    }

    #[test]
    fn index_errors() {
        let mut d = Decoder::new(4096);
        assert_eq!(kind(&mut d, b"\x80"), ErrorKind::IndexZero);
        assert_eq!(
            kind(&mut d, b"\xbe"),
            ErrorKind::IndexOutOfRange { index: 62, max: 61 }
        );
        assert_eq!(
            kind(&mut d, b"\x7f\x00\x01v"),
            ErrorKind::IndexOutOfRange { index: 63, max: 61 }
        );
        // Index 0 as a name index means a literal name: fine.
        assert!(d.decode_slice(b"\x00\x01a\x01b").is_ok());
    }

    #[test]
    fn size_updates() {
        let mut d = Decoder::new(4096);
        assert_eq!(
            kind(&mut d, b"\x3f\xe2\x1f"),
            ErrorKind::SizeUpdateTooLarge {
                requested: 4097,
                limit: 4096
            }
        );
        let mut d = Decoder::new(4096);
        assert_eq!(kind(&mut d, b"\x82\x20"), ErrorKind::SizeUpdateAfterField);
        let mut d = Decoder::new(4096);
        // Two updates at the start (§4.2: the smallest, then the final one).
        d.decode_slice(b"\x20\x3f\xe1\x1f\x82").unwrap();
        assert_eq!(d.table().max_size(), 4096);
        d.decode_slice(b"\x40\x01a\x01b").unwrap();
        // The limit goes down: an update must come first.
        d.set_max_table_size(100);
        let mut e = d.clone();
        assert_eq!(
            kind(&mut e, b"\x82"),
            ErrorKind::SizeUpdateMissing { limit: 100 }
        );
        let mut e = d.clone();
        assert_eq!(
            kind(&mut e, b"\x3f\x46\x82"),
            ErrorKind::SizeUpdateTooLarge {
                requested: 101,
                limit: 100
            }
        );
        d.decode_slice(b"\x3f\x45\x82").unwrap();
        assert_eq!(d.table().max_size(), 100);
        assert_eq!(d.table().len(), 1);
        // Raising it needs no update.
        d.set_max_table_size(4096);
        d.decode_slice(b"\x82").unwrap();
        assert_eq!(d.table().max_size(), 100);
    }

    #[test]
    fn truncated_literals() {
        let mut d = Decoder::new(4096);
        assert_eq!(kind(&mut d, b"\x40"), ErrorKind::IntegerTruncated);
        assert_eq!(
            kind(&mut d, b"\x40\x05abc"),
            ErrorKind::StringTruncated {
                length: 5,
                available: 3
            }
        );
        assert_eq!(kind(&mut d, b"\x04\x7f"), ErrorKind::IntegerTruncated);
        let e = d.decode_slice(b"\x82\x04\x05abc").unwrap_err();
        assert_eq!(e.offset, 3);
    }

    #[test]
    fn list_limits() {
        let mut d = Decoder::new(4096);
        d.set_max_header_list_size(32 + 10);
        assert!(d.decode_slice(b"\x00\x05abcde\x05fghij").is_ok());
        assert_eq!(
            kind(&mut d, b"\x00\x05abcde\x06fghijk"),
            ErrorKind::HeaderListTooLarge { limit: 42 }
        );
        // The second field crosses it.
        let e = d.decode_slice(b"\x00\x01a\x01b\x00\x01a\x01b").unwrap_err();
        assert_eq!(
            (e.offset, e.kind),
            (5, ErrorKind::HeaderListTooLarge { limit: 42 })
        );
        let mut d = Decoder::new(4096);
        d.set_max_field_count(2);
        assert!(d.decode_slice(b"\x82\x82").is_ok());
        assert_eq!(
            kind(&mut d, b"\x82\x82\x82"),
            ErrorKind::TooManyFields { limit: 2 }
        );
    }

    /// `decode_with` against `decode` on one block: the same fields, or the same error, and
    /// the same table after it.
    fn agree(owned: &mut Decoder, borrowed: &mut Decoder, block: &[u8]) {
        let want = owned.decode(&Bytes::copy_from_slice(block));
        let mut got = Vec::new();
        let result = borrowed.decode_with(block, |n, v, s| {
            got.push(HeaderField {
                name: Bytes::copy_from_slice(n),
                value: Bytes::copy_from_slice(v),
                sensitive: s,
            })
        });
        match (want, result) {
            (Ok(want), Ok(())) => assert_eq!(want, got),
            (Err(a), Err(b)) => assert_eq!(a, b),
            (a, b) => panic!("decode {a:?}, decode_with {b:?}"),
        }
        assert!(owned.table().iter().eq(borrowed.table().iter()));
        assert_eq!(owned.table().max_size(), borrowed.table().max_size());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

        /// Arbitrary blocks, in sequence on one pair of decoders (small limits, so that the
        /// limit errors come up too).
        #[test]
        fn decode_with_agrees_on_arbitrary_blocks(
            blocks in proptest::collection::vec(proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40), 1..6),
            list_size in 40usize..400,
        ) {
            let mut owned = Decoder::new(256);
            owned.set_max_header_list_size(list_size);
            owned.set_max_field_count(6);
            let mut borrowed = owned.clone();
            for block in &blocks {
                agree(&mut owned, &mut borrowed, block);
            }
        }

        /// Valid blocks from the encoder (indexing, Huffman, table references).
        #[test]
        fn decode_with_agrees_on_encoded_lists(
            lists in proptest::collection::vec(
                proptest::collection::vec(("[a-c]{1,3}", "[ -~]{0,12}", proptest::prelude::any::<bool>()), 0..6),
                1..6,
            ),
        ) {
            let mut encoder = super::super::Encoder::new(256);
            let mut owned = Decoder::new(256);
            let mut borrowed = owned.clone();
            for list in &lists {
                let fields: Vec<HeaderField> = list
                    .iter()
                    .map(|(n, v, s)| HeaderField { sensitive: *s, ..HeaderField::new(n.clone(), v.clone()) })
                    .collect();
                let mut block = bytes::BytesMut::new();
                encoder.encode(&fields, &mut block);
                agree(&mut owned, &mut borrowed, &block);
            }
        }
    }

    #[test]
    fn errors_leave_output_unchanged() {
        let mut d = Decoder::new(4096);
        let mut out = vec![HeaderField::new("x", "y")];
        assert!(
            d.decode_into(&Bytes::from_static(b"\x82\x80"), &mut out)
                .is_err()
        );
        assert_eq!(out.len(), 1);
    }
}
