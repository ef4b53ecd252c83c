//! Per-key token-bucket rate limiting.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Token buckets keyed by API key id; capacity = the key's per-minute allowance, refilled evenly.
#[derive(Debug, Default)]
pub struct Limiter {
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl Limiter {
    /// Takes one token for `key_id` allowed `rpm` per minute; Err(seconds to wait) when empty.
    pub fn take(&self, key_id: &str, rpm: u32) -> Result<(), u64> {
        let now = Instant::now();
        let cap = f64::from(rpm.max(1));
        let per_sec = cap / 60.0;
        let mut map = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let (tokens, last) = map.entry(key_id.to_string()).or_insert((cap, now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * per_sec).min(cap);
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - *tokens) / per_sec).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_empties_then_says_when_to_retry() {
        let l = Limiter::default();
        for _ in 0..3 {
            assert!(l.take("k", 3).is_ok());
        }
        let wait = l.take("k", 3).unwrap_err();
        assert!((1..=20).contains(&wait), "wait {wait}");
        assert!(l.take("other", 3).is_ok(), "keys are limited separately");
    }
}
