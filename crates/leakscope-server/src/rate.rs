//! Rate limits (`governor`, GCRA): one limiter per API key with the key's own per-minute
//! allowance, and one per client IP address for the unauthenticated password endpoints
//! (`/range`, `/pwnedpassword`), which have their own allowance.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};

/// A per-minute allowance as a quota (burst = the whole minute's allowance).
fn per_minute(rpm: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(rpm.max(1)).unwrap_or(NonZeroU32::MIN))
}

/// The limiters of a server.
pub struct Limiter {
    keys: Mutex<HashMap<String, (u32, Arc<DefaultDirectRateLimiter>)>>,
    passwords: Option<DefaultKeyedRateLimiter<IpAddr>>,
    clock: DefaultClock,
}

impl std::fmt::Debug for Limiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Limiter(password endpoints limited: {})",
            self.passwords.is_some()
        )
    }
}

impl Default for Limiter {
    /// Per-key limits only; the password endpoints unlimited.
    fn default() -> Limiter {
        Limiter::new(None)
    }
}

impl Limiter {
    /// Limiters with `password_rpm` requests per minute per client IP on the password endpoints
    /// (`None`: unlimited).
    pub fn new(password_rpm: Option<u32>) -> Limiter {
        Limiter {
            keys: Mutex::new(HashMap::new()),
            passwords: password_rpm.map(|n| RateLimiter::keyed(per_minute(n))),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one request for API key `key_id`, allowed `rpm` per minute; `Err(seconds to
    /// wait)` when over. A changed allowance (keys reloaded) starts a fresh limiter.
    pub fn take(&self, key_id: &str, rpm: u32) -> Result<(), u64> {
        let limiter = {
            let mut map = self.keys.lock().unwrap_or_else(|e| e.into_inner());
            let entry = map
                .entry(key_id.to_string())
                .or_insert_with(|| (rpm, Arc::new(RateLimiter::direct(per_minute(rpm)))));
            if entry.0 != rpm {
                *entry = (rpm, Arc::new(RateLimiter::direct(per_minute(rpm))));
            }
            entry.1.clone()
        };
        limiter
            .check()
            .map_err(|n| self.seconds(n.wait_time_from(self.clock.now())))
    }

    /// Takes one password-endpoint request for client `ip`; `Err(seconds to wait)` when over.
    pub fn take_password(&self, ip: IpAddr) -> Result<(), u64> {
        match &self.passwords {
            None => Ok(()),
            Some(l) => l
                .check_key(&ip)
                .map_err(|n| self.seconds(n.wait_time_from(self.clock.now()))),
        }
    }

    /// Forgets limiters of keys no longer configured and of clients not seen lately (bounded
    /// memory whatever the number of client addresses).
    pub fn forget(&self, live_key_ids: &[&str]) {
        self.keys
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|k, _| live_key_ids.contains(&k.as_str()));
        if let Some(l) = &self.passwords {
            l.retain_recent();
            l.shrink_to_fit();
        }
    }

    fn seconds(&self, d: std::time::Duration) -> u64 {
        d.as_secs_f64().ceil().max(1.0) as u64
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
        assert!(
            l.take("k", 100).is_ok(),
            "a raised allowance applies at once"
        );
    }

    #[test]
    fn password_endpoints_are_limited_per_client_address() {
        let l = Limiter::new(Some(2));
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(l.take_password(a).is_ok() && l.take_password(a).is_ok());
        assert!(l.take_password(a).is_err());
        assert!(
            l.take_password(b).is_ok(),
            "another client has its own allowance"
        );
        assert!(Limiter::default().take_password(a).is_ok());
        l.forget(&[]);
    }
}
