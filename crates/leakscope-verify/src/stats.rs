//! Confidence bounds and the verdict thresholds derived from them.

/// z for a two-sided 95% interval.
pub const Z95: f64 = 1.959_964;

/// Wilson score interval for `k` successes in `n` trials (95%). `(0, 1)` when `n == 0`.
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n, z2) = (k as f64, n as f64, Z95 * Z95);
    let p = k / n;
    let centre = p + z2 / (2.0 * n);
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let den = 1.0 + z2 / n;
    (
        ((centre - half) / den).max(0.0),
        ((centre + half) / den).min(1.0),
    )
}

/// The smallest number of trials at which an observed proportion `p` would put the Wilson bound
/// beyond `threshold` (lower bound ≥ threshold when `above`, upper bound < threshold otherwise).
/// `None` when `p` is on the wrong side or within one point of the threshold (no sample size
/// settles it).
pub fn min_trials(p: f64, threshold: f64, above: bool) -> Option<u64> {
    if (above && p < threshold + 0.01) || (!above && p > threshold - 0.01) {
        return None;
    }
    let ok = |n: u64| {
        let k = (p * n as f64).round() as u64;
        let (lo, hi) = wilson(k, n);
        if above {
            lo >= threshold
        } else {
            hi < threshold
        }
    };
    let mut hi = 1u64;
    while !ok(hi) {
        hi *= 2;
        if hi > 1 << 24 {
            return None;
        }
    }
    let mut lo = hi / 2;
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        if ok(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_known_values() {
        // Known value: 8 of 10 → (0.490, 0.943) at 95%.
        let (lo, hi) = wilson(8, 10);
        assert!(
            (lo - 0.4902).abs() < 1e-3 && (hi - 0.9433).abs() < 1e-3,
            "{lo} {hi}"
        );
        let (lo, hi) = wilson(0, 35);
        assert_eq!(lo, 0.0);
        assert!(hi < 0.1 && wilson(0, 34).1 >= 0.1);
        assert_eq!(wilson(0, 0), (0.0, 1.0));
    }

    #[test]
    fn minimum_sample_sizes_follow_the_bound() {
        assert_eq!(min_trials(0.0, 0.1, false), Some(35));
        let n = min_trials(0.9, 0.7, true).unwrap();
        assert!(wilson((0.9 * n as f64).round() as u64, n).0 >= 0.7);
        assert!(wilson((0.9 * (n - 1) as f64).round() as u64, n - 1).0 < 0.7);
        assert_eq!(min_trials(0.705, 0.7, true), None);
        assert_eq!(min_trials(0.3, 0.7, true), None);
    }
}
