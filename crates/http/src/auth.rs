//! Passwords (argon2id), session tokens, the `Authed` extractor and the
//! login throttle.
//!
//! Tokens are 32 random bytes, given to the client once; the database keeps
//! only their SHA-256. Every request looks its token up in the database
//! (one indexed read): no cache in the server, because disabling an account
//! or ending its sessions from the command line happens in another process
//! and must take effect at once, not after a cache's few seconds.

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

/// The web pages' session cookie.
pub const SESSION_COOKIE: &str = "ngoaivu_session";

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
    let mut chars = password.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return Err((
            "Mật khẩu không được chỉ là một ký tự lặp lại.",
            "The password must not be one character repeated.",
        ));
    }
    if is_common_password(password) {
        return Err((
            "Mật khẩu này nằm trong danh sách mật khẩu phổ biến, dễ bị đoán: hãy chọn mật khẩu khác (ví dụ một câu dài dễ nhớ).",
            "This password is on the list of common passwords and easily guessed: choose another (a long sentence you remember, for instance).",
        ));
    }
    Ok(())
}

/// Whether `password` (letter case aside) is one of the common passwords
/// of `data/common-passwords.txt` (its header names the source).
pub fn is_common_password(password: &str) -> bool {
    static LIST: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
        std::sync::LazyLock::new(|| {
            include_str!("../data/common-passwords.txt")
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .collect()
        });
    LIST.contains(password.to_lowercase().as_str())
}

#[cfg(test)]
mod password_tests {
    use super::*;

    #[test]
    fn new_passwords_are_long_not_repeated_and_not_common() {
        for (pw, ok) in [
            ("ngắn", false),
            ("aaaaaaaaaaaa", false),
            ("1234567890", false),
            ("Password123", false),
            ("iloveyou12", false),
            ("qwertyuiop", false),
            ("mùa thu Hà Nội năm ấy", true),
            ("ngoai-vu-vinh-long-2026", true),
        ] {
            assert_eq!(check_new_password(pw).is_ok(), ok, "{pw}");
        }
        assert!(is_common_password("PASSWORD123"));
        assert!(!is_common_password("mùa thu Hà Nội năm ấy"));
    }
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
        let found = state
            .service
            .session_actor(&hash, time::OffsetDateTime::now_utc())
            .await
            .map_err(ApiError::from)?;
        let (actor, _expires) = found.ok_or_else(ApiError::unauthorized)?;
        crate::access_log::note(parts, &actor);
        Ok(Authed {
            actor,
            token_hash: hash,
        })
    }
}

/// The login throttle, after OWASP's authentication guidance: slow
/// guessing down without letting anyone lock a known account.
///
/// - Every attempt is **counted before its password is checked** (a
///   success gives the count back), so a burst of concurrent guesses is
///   held to the limit instead of being checked all at once.
/// - One **address and account** pair: `per_account` failures in `window`
///   and that pair is refused until the window ends.
/// - One **address**: `per_address` failures in all, and it is refused.
/// - One **account**, from anywhere: past `per_account` failures, each
///   further attempt must wait a delay that doubles per failure, up to
///   `MAX_ACCOUNT_DELAY` (5 s, 10 s, 20 s …), but the account is never
///   locked: its owner, on an
///   address that has not failed, signs in after at most that delay.
pub struct Throttle {
    window: Duration,
    per_account: u32,
    per_address: u32,
    /// The first delay an account gets past `per_account` failures.
    account_delay: Duration,
    counts: Mutex<HashMap<String, (u32, Instant)>>,
}

/// The longest an account's owner waits because others guessed wrong.
pub const MAX_ACCOUNT_DELAY: Duration = Duration::from_secs(60);

/// A counted attempt; give it back with `Throttle::succeeded`.
pub struct Attempt {
    keys: Vec<String>,
}

impl Throttle {
    pub fn new(window: Duration, per_account: u32, per_address: u32) -> Self {
        Throttle {
            window,
            per_account,
            per_address,
            account_delay: Duration::from_secs(5),
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// The same with another first account delay (5 s by default).
    pub fn with_account_delay(mut self, d: Duration) -> Self {
        self.account_delay = d;
        self
    }

    fn account_key(username: &str) -> String {
        format!("u:{}", username.to_lowercase())
    }

    /// Count an attempt, or say how many seconds to wait before one.
    pub fn attempt(&self, username: &str, addr: Option<IpAddr>) -> Result<Attempt, u64> {
        let Ok(mut map) = self.counts.lock() else {
            return Ok(Attempt { keys: vec![] });
        };
        let window = self.window;
        let live = |map: &HashMap<String, (u32, Instant)>, k: &str| -> Option<(u32, Instant)> {
            map.get(k).copied().filter(|(_, at)| at.elapsed() < window)
        };
        let account = Self::account_key(username);
        let pair = addr.map(|a| format!("p:{}|{a}", username.to_lowercase()));
        let address = addr.map(|a| format!("a:{a}"));
        let left = |at: Instant| window.saturating_sub(at.elapsed()).as_secs().max(1);
        if let Some(k) = &pair
            && let Some((n, at)) = live(&map, k)
            && n >= self.per_account
        {
            return Err(left(at));
        }
        if let Some(k) = &address
            && let Some((n, at)) = live(&map, k)
            && n >= self.per_address
        {
            return Err(left(at));
        }
        if let Some((n, at)) = live(&map, &account)
            && n >= self.per_account
        {
            let doublings = (n - self.per_account).min(16);
            let delay = (self.account_delay * (1u32 << doublings)).min(MAX_ACCOUNT_DELAY);
            if at.elapsed() < delay {
                return Err((delay - at.elapsed()).as_secs().max(1));
            }
        }
        let keys: Vec<String> = std::iter::once(account)
            .chain(pair)
            .chain(address)
            .collect();
        for k in &keys {
            let e = map.entry(k.clone()).or_insert((0, Instant::now()));
            if e.1.elapsed() >= window {
                e.0 = 0;
            }
            *e = (e.0 + 1, Instant::now());
        }
        if map.len() > 100_000 {
            map.retain(|_, (_, at)| at.elapsed() < window);
        }
        Ok(Attempt { keys })
    }

    /// The password was right: the attempt is given back, and the
    /// account's and this address's failures for it are forgotten.
    pub fn succeeded(&self, attempt: Attempt) {
        let Ok(mut map) = self.counts.lock() else {
            return;
        };
        for k in attempt.keys {
            if k.starts_with("a:") {
                if let Some(e) = map.get_mut(&k) {
                    e.0 = e.0.saturating_sub(1);
                }
            } else {
                map.remove(&k);
            }
        }
    }
}

/// Why a sign-in did not give a session.
#[derive(Debug)]
pub enum SignInError {
    /// Too many attempts: wait this many seconds.
    Throttled(u64),
    /// Wrong username or password, or a disabled account.
    Wrong,
    /// Too many passwords being checked at once: try again shortly.
    Busy,
    Store(ngoaivu_store::StoreError),
    Internal(String),
}

/// A new session: the token (given to the client once), its expiry and the user.
pub struct SignedIn {
    pub token: String,
    pub expires: time::OffsetDateTime,
    pub user: ngoaivu_store::User,
}

/// How long a sign-in waits for a free password check before `Busy`.
const HASH_WAIT: Duration = Duration::from_secs(10);

/// Check a password (argon2, about 19 MiB and tens of milliseconds each)
/// on the blocking pool, at most `AppState::hashing` at a time.
async fn verify_bounded(
    st: &AppState,
    password: String,
    hash: String,
) -> Result<bool, SignInError> {
    let permit = tokio::time::timeout(HASH_WAIT, st.hashing.clone().acquire_owned())
        .await
        .map_err(|_| SignInError::Busy)?
        .map_err(|_| SignInError::Busy)?;
    let ok = tokio::task::spawn_blocking(move || {
        let ok = verify_password(&password, &hash);
        drop(permit);
        ok
    })
    .await
    .unwrap_or(false);
    Ok(ok)
}

/// The one check of a username and password, for signing in (API and
/// pages) and for confirming a password change: the throttle (counted
/// before the check), the same time spent for unknown usernames, a bounded
/// number of password checks at once.
pub async fn check_credentials(
    st: &AppState,
    username: &str,
    password: &str,
    addr: Option<IpAddr>,
) -> Result<ngoaivu_store::User, SignInError> {
    let result = check_credentials_counted(st, username, password, addr).await;
    let outcome = match &result {
        Ok(_) => "success",
        Err(SignInError::Wrong) => "wrong",
        Err(SignInError::Throttled(_)) => "throttled",
        Err(SignInError::Busy) => "busy",
        Err(SignInError::Store(_) | SignInError::Internal(_)) => "error",
    };
    metrics::counter!("ngoaivu_sign_ins_total", "outcome" => outcome).increment(1);
    result
}

async fn check_credentials_counted(
    st: &AppState,
    username: &str,
    password: &str,
    addr: Option<IpAddr>,
) -> Result<ngoaivu_store::User, SignInError> {
    let attempt = st
        .throttle
        .attempt(username, addr)
        .map_err(SignInError::Throttled)?;
    let found = st
        .service
        .user_for_login(username)
        .await
        .map_err(SignInError::Store)?;
    let user = match found {
        Some((user, hash)) => {
            let ok = verify_bounded(st, password.to_owned(), hash).await?;
            (ok && !user.disabled).then_some(user)
        }
        None => {
            // Spend the same time as a real check, so that timing does not
            // tell which usernames exist.
            verify_bounded(st, password.to_owned(), st.dummy_hash.clone()).await?;
            None
        }
    };
    let user = user.ok_or(SignInError::Wrong)?;
    st.throttle.succeeded(attempt);
    Ok(user)
}

/// Sign in: the credentials checked (`check_credentials`), then a session.
pub async fn sign_in(
    st: &AppState,
    username: &str,
    password: &str,
    addr: Option<IpAddr>,
) -> Result<SignedIn, SignInError> {
    let user = check_credentials(st, username, password, addr).await?;
    let token = new_token().map_err(|e| SignInError::Internal(e.to_string()))?;
    let expires = time::OffsetDateTime::now_utc() + st.config.session_ttl;
    st.service
        .create_session(&token_hash(&token), user.id, expires)
        .await
        .map_err(SignInError::Store)?;
    Ok(SignedIn {
        token,
        expires,
        user,
    })
}

/// Too many sign-ins at once: try again in a moment.
pub fn busy() -> ApiError {
    ApiError {
        retry_after: Some(2),
        ..ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "Máy chủ đang bận kiểm tra mật khẩu; xin thử lại sau giây lát.",
            "The server is busy checking passwords; try again in a moment.",
        )
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
    fn a_burst_is_counted_before_it_is_checked() {
        let t = Throttle::new(Duration::from_secs(60), 5, 20);
        let a: IpAddr = "10.1.2.3".parse().unwrap();
        // 30 attempts at once: only 5 get to a password check.
        let let_through = (0..30)
            .filter(|_| t.attempt("lan", Some(a)).is_ok())
            .count();
        assert_eq!(let_through, 5);
    }

    #[test]
    fn guessing_from_one_address_does_not_lock_the_owner_out() {
        let t = Throttle::new(Duration::from_secs(900), 5, 20)
            .with_account_delay(Duration::from_secs(1));
        let attacker: IpAddr = "198.51.100.66".parse().unwrap();
        let owner: IpAddr = "10.0.0.7".parse().unwrap();
        for _ in 0..5 {
            let _ = t.attempt("lan", Some(attacker)).unwrap(); // wrong: not given back
        }
        assert!(
            t.attempt("lan", Some(attacker)).is_err(),
            "the guessing address is held back"
        );
        // The owner, elsewhere, waits at most the account's delay (here 1 s).
        let wait = t.attempt("lan", Some(owner)).err().unwrap_or(0);
        assert!(wait <= MAX_ACCOUNT_DELAY.as_secs(), "{wait}");
        std::thread::sleep(Duration::from_millis(1100));
        let ok = t.attempt("lan", Some(owner)).expect("the owner may try");
        t.succeeded(ok);
        assert!(
            t.attempt("lan", Some(owner)).is_ok(),
            "a success clears the account's failures"
        );
        // The attacker's pair stays held.
        assert!(t.attempt("lan", Some(attacker)).is_err());
        // Usernames are compared without case.
        assert!(t.attempt("LAN", Some(attacker)).is_err());
    }

    #[test]
    fn one_address_trying_many_accounts_is_held_back() {
        let t = Throttle::new(Duration::from_secs(60), 5, 20);
        let a: IpAddr = "10.1.2.3".parse().unwrap();
        let b: IpAddr = "10.9.9.9".parse().unwrap();
        for i in 0..20 {
            assert!(t.attempt(&format!("u{i}"), Some(a)).is_ok());
        }
        assert!(t.attempt("tuan", Some(a)).is_err());
        assert!(t.attempt("tuan", Some(b)).is_ok());
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
