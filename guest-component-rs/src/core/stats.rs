//! `summarize` and `check`.

/// The world's `summary` record: the sum is an `i64`, so it never wraps for
/// any list that fits a wasm32 memory (fewer than 2^30 `s32` values).
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub struct Summary {
    pub min: i32,
    pub max: i32,
    pub sum: i64,
    pub count: u32,
}

/// The world's `checks` flags, one bool each.
#[derive(Debug, Copy, Clone, Default, PartialEq, Eq)]
pub struct Checks {
    pub positive: bool,
    pub even: bool,
    pub small: bool,
}

/// `None` for an empty list; else min, max, sum (wrapping `i64`, which
/// cannot overflow for a list below 2^32 values) and count (saturating at
/// `u32::MAX`, unreachable on wasm32).
pub fn summarize(values: &[i32]) -> Option<Summary> {
    let (&first, rest) = values.split_first()?;
    let mut summary = Summary {
        min: first,
        max: first,
        sum: i64::from(first),
        count: 1,
    };
    for &v in rest {
        summary.min = summary.min.min(v);
        summary.max = summary.max.max(v);
        summary.sum = summary.sum.wrapping_add(i64::from(v));
        summary.count = summary.count.saturating_add(1);
    }
    Some(summary)
}

/// positive: value > 0; even: value % 2 == 0 (negative values too);
/// small: -100 < value < 100 (both bounds excluded).
pub fn check(value: i32) -> Checks {
    Checks {
        positive: value > 0,
        even: value % 2 == 0,
        small: -100 < value && value < 100,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checks(positive: bool, even: bool, small: bool) -> Checks {
        Checks {
            positive,
            even,
            small,
        }
    }

    #[test]
    fn summarize_empty_one_and_many() {
        assert_eq!(summarize(&[]), None);
        assert_eq!(
            summarize(&[-7]),
            Some(Summary {
                min: -7,
                max: -7,
                sum: -7,
                count: 1
            })
        );
        assert_eq!(
            summarize(&[3, -1, 4, 1, -5]),
            Some(Summary {
                min: -5,
                max: 4,
                sum: 2,
                count: 5
            })
        );
    }

    #[test]
    fn summarize_sums_in_i64_without_overflow() {
        let values = [i32::MAX; 4];
        let s = summarize(&values).expect("non-empty");
        assert_eq!(s.sum, 4 * i64::from(i32::MAX));
        assert_eq!((s.min, s.max, s.count), (i32::MAX, i32::MAX, 4));
        let s = summarize(&[i32::MIN, i32::MIN, i32::MAX]).expect("non-empty");
        assert_eq!(s.sum, 2 * i64::from(i32::MIN) + i64::from(i32::MAX));
        assert_eq!((s.min, s.max), (i32::MIN, i32::MAX));
    }

    #[test]
    fn check_bounds() {
        assert_eq!(check(0), checks(false, true, true));
        assert_eq!(check(1), checks(true, false, true));
        assert_eq!(check(-1), checks(false, false, true));
        assert_eq!(check(-2), checks(false, true, true));
        assert_eq!(check(99), checks(true, false, true));
        assert_eq!(check(100), checks(true, true, false));
        assert_eq!(check(-99), checks(false, false, true));
        assert_eq!(check(-100), checks(false, true, false));
        assert_eq!(check(i32::MAX), checks(true, false, false));
        assert_eq!(check(i32::MIN), checks(false, true, false));
    }
}
