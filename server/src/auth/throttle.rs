//! Login throttling. Failed logins are counted per account and per client address with
//! governor's keyed limiters; once a limit is spent, further attempts on that key are refused
//! (before any password is checked) until the limiter would admit another failure.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Five failures per account, then one more every three minutes (15 minutes to refill).
const ACCOUNT_BURST: u32 = 5;
const ACCOUNT_PERIOD: Duration = Duration::from_secs(180);
/// Twenty failures per address, then one more every 45 seconds.
const ADDRESS_BURST: u32 = 20;
const ADDRESS_PERIOD: Duration = Duration::from_secs(45);

pub struct LoginThrottle {
    accounts: DefaultKeyedRateLimiter<String>,
    addresses: DefaultKeyedRateLimiter<IpAddr>,
    locked: Mutex<HashMap<String, Instant>>,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        Self::new()
    }
}

fn quota(period: Duration, burst: u32) -> Quota {
    Quota::with_period(period)
        .expect("period is not zero")
        .allow_burst(NonZeroU32::new(burst).expect("burst is not zero"))
}

impl LoginThrottle {
    pub fn new() -> Self {
        LoginThrottle {
            accounts: RateLimiter::keyed(quota(ACCOUNT_PERIOD, ACCOUNT_BURST)),
            addresses: RateLimiter::keyed(quota(ADDRESS_PERIOD, ADDRESS_BURST)),
            locked: Mutex::new(HashMap::new()),
        }
    }

    fn lock_keys(username: &str, ip: Option<IpAddr>) -> Vec<String> {
        let mut keys = vec![format!("u:{}", username.to_lowercase())];
        if let Some(ip) = ip {
            keys.push(format!("a:{ip}"));
        }
        keys
    }

    /// `Err(wait)` when this account or address must wait before trying again.
    pub fn check(&self, username: &str, ip: Option<IpAddr>) -> Result<(), Duration> {
        let now = Instant::now();
        let locked = self.locked.lock().unwrap_or_else(|e| e.into_inner());
        let wait = Self::lock_keys(username, ip)
            .iter()
            .filter_map(|k| locked.get(k))
            .filter(|until| **until > now)
            .map(|until| *until - now)
            .max();
        match wait {
            Some(w) => Err(w),
            None => Ok(()),
        }
    }

    /// Counts one failed login; locks the account or address once its allowance is spent.
    pub fn record_failure(&self, username: &str, ip: Option<IpAddr>) {
        let clock = DefaultClock::default();
        let mut locks: Vec<(String, Duration)> = Vec::new();
        let account = format!("u:{}", username.to_lowercase());
        if let Err(not_until) = self.accounts.check_key(&username.to_lowercase()) {
            locks.push((account, not_until.wait_time_from(clock.now())));
        }
        if let Some(ip) = ip
            && let Err(not_until) = self.addresses.check_key(&ip)
        {
            locks.push((format!("a:{ip}"), not_until.wait_time_from(clock.now())));
        }
        if self.accounts.len() > 100_000 {
            self.accounts.retain_recent();
            self.addresses.retain_recent();
        }
        if !locks.is_empty() {
            let now = Instant::now();
            let mut locked = self.locked.lock().unwrap_or_else(|e| e.into_inner());
            locked.retain(|_, until| *until > now);
            for (key, wait) in locks {
                locked.insert(key, now + wait.max(Duration::from_secs(1)));
            }
        }
    }
}

/// "Try again in 3 minutes." for a wait.
pub fn describe_wait(wait: Duration) -> String {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    if minutes == 1 {
        "Too many failed attempts. Try again in 1 minute.".into()
    } else {
        format!("Too many failed attempts. Try again in {minutes} minutes.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_an_account_after_repeated_failures() {
        let t = LoginThrottle::new();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        for _ in 0..=ACCOUNT_BURST {
            assert!(t.check("Ann", Some(ip)).is_ok());
            t.record_failure("Ann", Some(ip));
        }
        let wait = t.check("ann", None).unwrap_err();
        assert!(wait > Duration::from_secs(60));
        assert!(
            t.check("bob", Some(ip)).is_ok(),
            "another account is not locked"
        );
        assert!(describe_wait(wait).contains("Try again in"));
    }
}
