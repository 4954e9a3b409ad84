//! Passwords (argon2id), session tokens, the `Authed` extractor and the
//! login throttle.
//!
//! Tokens are 32 random bytes, given to the client once; the database keeps
//! only their SHA-256. Recently seen tokens are cached for a few seconds so
//! that a read does not cost a session query; logout removes the cache entry
//! at once, while disabling an account from the command line (another
//! process) takes effect within `SESSION_CACHE_SECS`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::{StatusCode, header, request::Parts};
use base64::Engine;
use ngoaivu_core::Actor;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;

pub const SESSION_CACHE_SECS: u64 = 10;

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let hash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))?;
    Ok(hash.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.as_bytes(), hash)
        .is_ok()
}

/// Minimum rules for a password set through the CLI or the API.
pub fn check_new_password(password: &str) -> Result<(), (&'static str, &'static str)> {
    if password.chars().count() < 10 {
        return Err((
            "Mật khẩu phải có ít nhất 10 ký tự.",
            "The password must have at least 10 characters.",
        ));
    }
    if password.chars().count() > 200 {
        return Err((
            "Mật khẩu quá dài (tối đa 200 ký tự).",
            "The password is too long (at most 200 characters).",
        ));
    }
    Ok(())
}

pub fn new_token() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("getrandom: {e}"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random password for demo accounts: 16 characters from an alphabet
/// without look-alikes.
pub fn random_password() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("getrandom: {e}"))?;
    Ok(bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect())
}

#[derive(Default)]
pub struct SessionCache {
    entries: Mutex<HashMap<String, (Actor, time::OffsetDateTime, Instant)>>,
}

impl SessionCache {
    pub fn get(&self, hash: &str) -> Option<Actor> {
        let map = self.entries.lock().ok()?;
        let (actor, expires, cached) = map.get(hash)?;
        if cached.elapsed() < Duration::from_secs(SESSION_CACHE_SECS)
            && *expires > time::OffsetDateTime::now_utc()
        {
            Some(actor.clone())
        } else {
            None
        }
    }
    pub fn put(&self, hash: String, actor: Actor, expires: time::OffsetDateTime) {
        if let Ok(mut map) = self.entries.lock() {
            if map.len() > 100_000 {
                map.clear();
            }
            map.insert(hash, (actor, expires, Instant::now()));
        }
    }
    pub fn remove(&self, hash: &str) {
        if let Ok(mut map) = self.entries.lock() {
            map.remove(hash);
        }
    }
    /// Forget every cached session of one user, so that sessions ended in
    /// the database (a password change) end at once, not after the cache's
    /// few seconds.
    pub fn remove_user(&self, user_id: i64) {
        if let Ok(mut map) = self.entries.lock() {
            map.retain(|_, (actor, _, _)| actor.user_id != user_id);
        }
    }
}

/// The authenticated caller and the hash of the token they used.
pub struct Authed {
    pub actor: Actor,
    pub token_hash: String,
}

impl FromRequestParts<AppState> for Authed {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(ApiError::unauthorized)?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .ok_or_else(ApiError::unauthorized)?;
        let hash = token_hash(token.trim());
        if let Some(actor) = state.sessions.get(&hash) {
            return Ok(Authed {
                actor,
                token_hash: hash,
            });
        }
        let found = state
            .service
            .backend
            .session_actor(&hash, time::OffsetDateTime::now_utc())
            .await
            .map_err(ApiError::from)?;
        let (actor, expires) = found.ok_or_else(ApiError::unauthorized)?;
        state.sessions.put(hash.clone(), actor.clone(), expires);
        Ok(Authed {
            actor,
            token_hash: hash,
        })
    }
}

/// Failed logins are counted per account and per client address over a
/// window; past the limit, logins are refused (429) until the window ends,
/// whether or not the password is right.
pub struct Throttle {
    window: Duration,
    per_account: u32,
    per_address: u32,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Throttle {
    pub fn new(window: Duration, per_account: u32, per_address: u32) -> Self {
        Throttle {
            window,
            per_account,
            per_address,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(username: &str, addr: Option<IpAddr>) -> (String, Option<String>) {
        (
            format!("u:{}", username.to_lowercase()),
            addr.map(|a| format!("a:{a}")),
        )
    }

    /// Seconds to wait, if this login must be refused now.
    pub fn blocked(&self, username: &str, addr: Option<IpAddr>) -> Option<u64> {
        let map = self.failures.lock().ok()?;
        let (uk, ak) = Self::keys(username, addr);
        let check = |key: &str, limit: u32| {
            map.get(key).and_then(|(n, since)| {
                let left = self.window.checked_sub(since.elapsed())?;
                (*n >= limit).then(|| left.as_secs().max(1))
            })
        };
        check(&uk, self.per_account)
            .or_else(|| ak.as_deref().and_then(|k| check(k, self.per_address)))
    }

    pub fn failed(&self, username: &str, addr: Option<IpAddr>) {
        let Ok(mut map) = self.failures.lock() else {
            return;
        };
        let (uk, ak) = Self::keys(username, addr);
        for key in std::iter::once(uk).chain(ak) {
            let entry = map.entry(key).or_insert((0, Instant::now()));
            if entry.1.elapsed() >= self.window {
                *entry = (0, Instant::now());
            }
            entry.0 += 1;
        }
        if map.len() > 100_000 {
            let window = self.window;
            map.retain(|_, (_, since)| since.elapsed() < window);
        }
    }

    pub fn succeeded(&self, username: &str) {
        if let Ok(mut map) = self.failures.lock() {
            map.remove(&Self::keys(username, None).0);
        }
    }
}

pub fn too_many(secs: u64) -> ApiError {
    ApiError {
        retry_after: Some(secs),
        ..ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("Đăng nhập sai quá nhiều lần; thử lại sau {secs} giây."),
            format!("Too many failed sign-ins; try again in {secs} seconds."),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttles_per_account_and_per_address() {
        let t = Throttle::new(Duration::from_secs(60), 3, 5);
        let a: IpAddr = "10.1.2.3".parse().unwrap();
        let b: IpAddr = "10.9.9.9".parse().unwrap();
        for _ in 0..3 {
            assert!(t.blocked("lan", Some(a)).is_none());
            t.failed("lan", Some(a));
        }
        assert!(
            t.blocked("lan", Some(b)).is_some(),
            "the account is throttled from any address"
        );
        assert!(
            t.blocked("LAN", None).is_some(),
            "usernames are compared without case"
        );
        assert!(
            t.blocked("hoa", Some(b)).is_none(),
            "other accounts are not"
        );
        // One address trying many accounts is throttled after 5 failures in all.
        t.failed("hoa", Some(a));
        t.failed("minh", Some(a));
        assert!(
            t.blocked("tuan", Some(a)).is_some(),
            "the address is throttled for every account"
        );
        assert!(t.blocked("tuan", Some(b)).is_none());
        t.succeeded("lan");
        assert!(
            t.blocked("lan", Some(b)).is_none(),
            "a success clears the account's count"
        );
    }

    #[test]
    fn tokens_are_random_and_stored_hashed() {
        let (x, y) = (new_token().unwrap(), new_token().unwrap());
        assert_ne!(x, y);
        assert_eq!(x.len(), 43, "32 bytes, base64url without padding");
        assert_eq!(token_hash(&x).len(), 64);
        assert_ne!(token_hash(&x), x);
        let pw = random_password().unwrap();
        assert_eq!(pw.len(), 16);
        let h = hash_password(&pw).unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password(&pw, &h) && !verify_password("wrong password", &h));
    }
}
