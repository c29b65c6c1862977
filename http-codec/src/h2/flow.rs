//! Flow-control windows (RFC 9113 §5.2, §6.9): one per stream and one for the connection, in
//! each direction. A window may go negative when SETTINGS_INITIAL_WINDOW_SIZE shrinks
//! (§6.9.2), and may never exceed 2^31 - 1 (§6.9.1).

/// The largest window, 2^31 - 1 (§6.9.1).
pub const MAX_WINDOW: i64 = 0x7fff_ffff;

/// The initial window of every stream and of the connection (§6.9.2): 65,535.
pub const DEFAULT_WINDOW: u32 = 65_535;

/// A flow-control window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window(i64);

/// A window over 2^31 - 1, or data past the window: FLOW_CONTROL_ERROR (§6.9, §6.9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowControlError;

impl Default for Window {
    fn default() -> Self {
        Window(i64::from(DEFAULT_WINDOW))
    }
}

impl Window {
    /// A window of `size` octets.
    pub fn new(size: u32) -> Window {
        Window(i64::from(size).min(MAX_WINDOW))
    }

    /// The window as it stands (negative after a SETTINGS decrease).
    pub fn get(self) -> i64 {
        self.0
    }

    /// The octets that may be sent now: 0 when the window is not positive.
    pub fn available(self) -> u32 {
        u32::try_from(self.0.max(0)).unwrap_or(u32::MAX)
    }

    /// `n` flow-controlled octets were sent or received: `Err` when they do not fit (a peer
    /// that sends past the window breaks §6.9.1).
    pub fn consume(&mut self, n: u32) -> Result<(), FlowControlError> {
        let n = i64::from(n);
        if n > self.0 {
            return Err(FlowControlError);
        }
        self.0 -= n;
        Ok(())
    }

    /// A WINDOW_UPDATE of `increment`: `Err` when the window would pass 2^31 - 1 (§6.9.1).
    pub fn increase(&mut self, increment: u32) -> Result<(), FlowControlError> {
        let next = self.0 + i64::from(increment);
        if next > MAX_WINDOW {
            return Err(FlowControlError);
        }
        self.0 = next;
        Ok(())
    }

    /// SETTINGS_INITIAL_WINDOW_SIZE changed from `old` to `new` (§6.9.2): the window moves by
    /// the difference, and may go negative; `Err` when it would pass 2^31 - 1.
    pub fn resize(&mut self, old: u32, new: u32) -> Result<(), FlowControlError> {
        let next = self.0 + i64::from(new) - i64::from(old);
        if next > MAX_WINDOW {
            return Err(FlowControlError);
        }
        self.0 = next;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows() {
        let mut w = Window::default();
        w.consume(65_535).unwrap();
        assert_eq!(w.available(), 0);
        assert_eq!(w.consume(1), Err(FlowControlError));
        w.increase(10).unwrap();
        w.resize(65_535, 0).unwrap();
        assert_eq!(w.get(), 10 - 65_535);
        assert_eq!(w.available(), 0);
        let mut w = Window::new(0x7fff_ffff);
        assert_eq!(w.increase(1), Err(FlowControlError));
        assert_eq!(w.resize(0, 1), Err(FlowControlError));
    }
}
