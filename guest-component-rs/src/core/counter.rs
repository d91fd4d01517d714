//! The guest resource `counter`.

/// A counter that lives in the guest. Every arithmetic step wraps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    value: i64,
}

impl Counter {
    pub fn new(start: i64) -> Self {
        Self { value: start }
    }

    /// Adds `by` (wrapping) and returns the new value.
    pub fn increment(&mut self, by: i64) -> i64 {
        self.value = self.value.wrapping_add(by);
        self.value
    }

    pub fn value(&self) -> i64 {
        self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_at_start_and_increments() {
        let mut c = Counter::new(-3);
        assert_eq!(c.value(), -3);
        assert_eq!(c.increment(5), 2);
        assert_eq!(c.increment(-10), -8);
        assert_eq!(c.increment(0), -8);
        assert_eq!(c.value(), -8);
    }

    #[test]
    fn increment_wraps() {
        let mut c = Counter::new(i64::MAX);
        assert_eq!(c.increment(1), i64::MIN);
        assert_eq!(c.increment(-1), i64::MAX);
        let mut c = Counter::new(i64::MIN);
        assert_eq!(c.increment(i64::MIN), 0);
    }
}
