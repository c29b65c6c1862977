//! Helpers shared by framing's integration tests (and, by path, other crates' tests).

pub mod peak_heap;
