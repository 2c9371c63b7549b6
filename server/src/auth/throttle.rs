//! Login throttling, after OWASP's credential-stuffing guidance. Failed logins are counted
//! with governor's keyed limiters; once a limit is spent, further attempts on that key are
//! refused (before any password is checked) until the limiter would admit another failure.
//!
//! Who is counted depends on who is trying. A device that signed in to the account before
//! (a signed device cookie, `device`) is counted on its own: strangers' failures lock neither
//! the account nor the address for it. Anyone else is counted per account and per address.

use crate::ids::UserId;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Untrusted clients: five failures per account, then one more every three minutes.
const ACCOUNT_BURST: u32 = 5;
const ACCOUNT_PERIOD: Duration = Duration::from_secs(180);
/// Untrusted clients: forty failures per address, then one more every four seconds. A class
/// of 35 behind one router, each mistyping once, signs in within its first minute; a single
/// address trying a list of stolen passwords gets 900 an hour, against 20 a day an account.
const ADDRESS_BURST: u32 = 40;
const ADDRESS_PERIOD: Duration = Duration::from_secs(4);
/// A trusted device: ten failures, then one more a minute.
const DEVICE_BURST: u32 = 10;
const DEVICE_PERIOD: Duration = Duration::from_secs(60);

/// Who is trying to sign in.
#[derive(Debug, Clone, Copy)]
pub enum Client<'a> {
    /// A device cookie this server signed for this account: its nonce.
    Trusted(&'a str),
    /// Anyone else, from this address if known.
    Untrusted(Option<IpAddr>),
}

pub struct LoginThrottle {
    accounts: DefaultKeyedRateLimiter<String>,
    addresses: DefaultKeyedRateLimiter<IpAddr>,
    devices: DefaultKeyedRateLimiter<String>,
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
            devices: RateLimiter::keyed(quota(DEVICE_PERIOD, DEVICE_BURST)),
            locked: Mutex::new(HashMap::new()),
        }
    }

    fn lock_keys(username: &str, client: Client) -> Vec<String> {
        match client {
            Client::Trusted(nonce) => vec![format!("d:{nonce}")],
            Client::Untrusted(ip) => {
                let mut keys = vec![format!("u:{}", username.to_lowercase())];
                keys.extend(ip.map(|ip| format!("a:{ip}")));
                keys
            }
        }
    }

    /// `Err(wait)` when this client must wait before trying this account again.
    pub fn check(&self, username: &str, client: Client) -> Result<(), Duration> {
        let now = Instant::now();
        let locked = self.locked.lock().unwrap_or_else(|e| e.into_inner());
        let wait = Self::lock_keys(username, client)
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

    /// Counts one failed login; locks what it was counted on once its allowance is spent.
    pub fn record_failure(&self, username: &str, client: Client) {
        let clock = DefaultClock::default();
        let mut locks: Vec<(String, Duration)> = Vec::new();
        match client {
            Client::Trusted(nonce) => {
                if let Err(not_until) = self.devices.check_key(&nonce.to_string()) {
                    locks.push((format!("d:{nonce}"), not_until.wait_time_from(clock.now())));
                }
            }
            Client::Untrusted(ip) => {
                let account = username.to_lowercase();
                if let Err(not_until) = self.accounts.check_key(&account) {
                    locks.push((
                        format!("u:{account}"),
                        not_until.wait_time_from(clock.now()),
                    ));
                }
                if let Some(ip) = ip
                    && let Err(not_until) = self.addresses.check_key(&ip)
                {
                    locks.push((format!("a:{ip}"), not_until.wait_time_from(clock.now())));
                }
            }
        }
        if self.accounts.len() + self.devices.len() > 100_000 {
            self.accounts.retain_recent();
            self.addresses.retain_recent();
            self.devices.retain_recent();
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

/// Join-code guesses: wrong codes counted per account and per address, like failed logins.
/// Unthrottled, one client tried about 590 codes a second.
pub struct JoinThrottle {
    accounts: Budget<UserId>,
    addresses: Budget<IpAddr>,
}

/// Ten wrong codes per account, then one every 30 seconds; forty per address (a class
/// joining from one room, some mistyping), then one every 4 seconds.
const JOIN_ACCOUNT: (Duration, u32) = (Duration::from_secs(30), 10);
const JOIN_ADDRESS: (Duration, u32) = (Duration::from_secs(4), 40);

impl Default for JoinThrottle {
    fn default() -> Self {
        Self::new()
    }
}

impl JoinThrottle {
    pub fn new() -> Self {
        JoinThrottle {
            accounts: Budget::new(JOIN_ACCOUNT.0, JOIN_ACCOUNT.1),
            addresses: Budget::new(JOIN_ADDRESS.0, JOIN_ADDRESS.1),
        }
    }

    /// `Err(wait)` when this account or address must wait before trying another code.
    pub fn check(&self, user_id: UserId, ip: Option<IpAddr>) -> Result<(), Duration> {
        let a = self.accounts.check(&user_id);
        let b = ip.map_or(Ok(()), |ip| self.addresses.check(&ip));
        match (a, b) {
            (Err(x), Err(y)) => Err(x.max(y)),
            (Err(x), _) | (_, Err(x)) => Err(x),
            _ => Ok(()),
        }
    }

    pub fn record_failure(&self, user_id: UserId, ip: Option<IpAddr>) {
        self.accounts.record_failure(user_id);
        if let Some(ip) = ip {
            self.addresses.record_failure(ip);
        }
    }
}

/// One keyed failure budget: `burst` failures, then one every `period`.
struct Budget<K: std::hash::Hash + Eq + Clone> {
    limiter: DefaultKeyedRateLimiter<K>,
    locked: Mutex<HashMap<K, Instant>>,
}

impl<K: std::hash::Hash + Eq + Clone> Budget<K> {
    fn new(period: Duration, burst: u32) -> Self {
        Budget {
            limiter: RateLimiter::keyed(quota(period, burst)),
            locked: Mutex::new(HashMap::new()),
        }
    }

    fn check(&self, key: &K) -> Result<(), Duration> {
        let now = Instant::now();
        let locked = self.locked.lock().unwrap_or_else(|e| e.into_inner());
        match locked.get(key) {
            Some(until) if *until > now => Err(*until - now),
            _ => Ok(()),
        }
    }

    fn record_failure(&self, key: K) {
        if let Err(not_until) = self.limiter.check_key(&key) {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            let now = Instant::now();
            let mut locked = self.locked.lock().unwrap_or_else(|e| e.into_inner());
            locked.retain(|_, until| *until > now);
            locked.insert(key, now + wait.max(Duration::from_secs(1)));
        }
        if self.limiter.len() > 100_000 {
            self.limiter.retain_recent();
        }
    }
}

/// "1 minute", "3 minutes": a wait, rounded up to whole minutes.
pub fn describe_minutes(wait: Duration) -> String {
    let minutes = wait.as_secs().div_ceil(60).max(1);
    if minutes == 1 {
        "1 minute".into()
    } else {
        format!("{minutes} minutes")
    }
}

/// "Try again in 3 minutes." for a wait.
pub fn describe_wait(wait: Duration) -> String {
    format!(
        "Too many failed attempts. Try again in {}.",
        describe_minutes(wait)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(ip: &str) -> Client<'static> {
        Client::Untrusted(Some(ip.parse().unwrap()))
    }

    #[test]
    fn locks_an_account_for_strangers_after_repeated_failures() {
        let t = LoginThrottle::new();
        for _ in 0..=ACCOUNT_BURST {
            assert!(t.check("Ann", from("10.0.0.1")).is_ok());
            t.record_failure("Ann", from("10.0.0.1"));
        }
        let wait = t.check("ann", Client::Untrusted(None)).unwrap_err();
        assert!(wait > Duration::from_secs(60));
        assert!(t.check("ann", from("10.0.0.2")).is_err(), "any stranger");
        assert!(
            t.check("bob", from("10.0.0.1")).is_ok(),
            "not another account"
        );
        assert!(
            t.check("ann", Client::Trusted("ann-laptop")).is_ok(),
            "not the device Ann signed in on before"
        );
        assert!(describe_wait(wait).contains("Try again in"));
    }

    #[test]
    fn an_address_is_locked_for_strangers_only_past_a_classroom() {
        let t = LoginThrottle::new();
        for n in 0..ADDRESS_BURST {
            assert!(t.check(&format!("s{n}"), from("10.0.0.1")).is_ok());
            t.record_failure(&format!("s{n}"), from("10.0.0.1"));
        }
        assert!(
            t.check("s99", from("10.0.0.1")).is_ok(),
            "forty mistakes pass"
        );
        t.record_failure("s98", from("10.0.0.1"));
        assert!(
            t.check("s99", from("10.0.0.1")).is_err(),
            "past them, locked"
        );
        assert!(t.check("s99", Client::Trusted("s99-phone")).is_ok());
    }

    #[test]
    fn join_codes_are_throttled_per_account_and_per_address() {
        let t = JoinThrottle::new();
        let ip: Option<IpAddr> = Some("10.0.0.1".parse().unwrap());
        for _ in 0..JOIN_ACCOUNT.1 {
            assert!(t.check(UserId(1), ip).is_ok());
            t.record_failure(UserId(1), ip);
        }
        assert!(t.check(UserId(1), ip).is_ok(), "ten wrong codes pass");
        t.record_failure(UserId(1), ip);
        assert!(
            t.check(UserId(1), None).is_err(),
            "the eleventh locks the account"
        );
        assert!(t.check(UserId(2), ip).is_ok(), "not the address yet");
        for n in 0..JOIN_ADDRESS.1 {
            t.record_failure(UserId(100 + i64::from(n)), ip);
        }
        assert!(t.check(UserId(2), ip).is_err(), "the address is locked");
        assert!(t.check(UserId(2), None).is_ok());
    }

    #[test]
    fn a_trusted_device_has_a_budget_of_its_own() {
        let t = LoginThrottle::new();
        for _ in 0..=DEVICE_BURST {
            t.record_failure("ann", Client::Trusted("laptop"));
        }
        assert!(t.check("ann", Client::Trusted("laptop")).is_err());
        assert!(t.check("ann", Client::Trusted("phone")).is_ok());
        assert!(
            t.check("ann", from("10.0.0.1")).is_ok(),
            "strangers unaffected"
        );
    }
}
