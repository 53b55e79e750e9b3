//! Patience: how long a request is retried. Retryable answers — throttling,
//! 5xx, dropped connections, timeouts — are retried with jittered
//! exponential backoff until a time budget per request runs out (`--patience`,
//! 10 minutes by default: longer than a shared quota keeps anyone waiting),
//! never because some count of attempts was reached, unless the user asks
//! for that bound with `--max-attempts`. Every attempt still waits for the
//! pacer, so retries count against the quota like first attempts.
//!
//! The result says not only how the request ended but what the attempts
//! leave in doubt: a write that met a 5xx or lost its answer may have been
//! committed, which only reading the server back can settle.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use backon::{BackoffBuilder, ExponentialBuilder};

use super::{ApiError, ApiErrorKind};

/// The default time budget of one request, retries included.
pub const DEFAULT_PATIENCE: Duration = Duration::from_secs(600);
/// The first retry waits 0.25–0.5 s; each further one twice as long, up to 15–30 s.
const FIRST_DELAY: Duration = Duration::from_millis(250);
const LONGEST_DELAY: Duration = Duration::from_secs(15);

/// How long to keep retrying one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Patience {
    /// Time from the first attempt after which no new attempt starts.
    pub budget: Duration,
    /// An upper bound on attempts, the first included (`--max-attempts`).
    pub max_attempts: Option<u32>,
}

impl Default for Patience {
    fn default() -> Patience {
        Patience {
            budget: DEFAULT_PATIENCE,
            max_attempts: None,
        }
    }
}

/// How a patiently retried request ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending<T> {
    /// An attempt succeeded.
    Done(T),
    /// The service refused the request with a final answer.
    Refused(ApiError),
    /// Every attempt met a retryable answer until the patience ran out;
    /// this is the last one.
    GaveUp(ApiError),
}

/// A request's attempts: how it ended and whether any attempt may have
/// changed the server without saying so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempts<T> {
    pub ending: Ending<T>,
    pub count: u32,
    /// An attempt met a 5xx or lost its answer: a write may have been
    /// committed all the same.
    pub doubtful: bool,
}

impl<T> Attempts<T> {
    /// The value, or the error the request ended with.
    pub fn into_result(self) -> Result<T, ApiError> {
        match self.ending {
            Ending::Done(value) => Ok(value),
            Ending::Refused(err) | Ending::GaveUp(err) => Err(err),
        }
    }
}

/// Whether an error is worth another attempt: throttling, a 5xx, or no answer.
pub fn retryable(err: &ApiError) -> bool {
    matches!(
        err.kind,
        ApiErrorKind::Throttling | ApiErrorKind::InternalService | ApiErrorKind::Transport
    )
}

/// Whether a write that met this error may have been carried out all the
/// same (the service failed or the answer was lost after the request left).
/// A throttled request was refused at the door.
pub fn may_have_committed(err: &ApiError) -> bool {
    matches!(
        err.kind,
        ApiErrorKind::InternalService | ApiErrorKind::Transport
    )
}

/// Runs `attempt` until it succeeds, meets a final answer, or the patience
/// runs out.
pub async fn retry<T, F, Fut>(patience: Patience, mut attempt: F) -> Attempts<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    let deadline = Instant::now() + patience.budget;
    let mut delays = ExponentialBuilder::default()
        .with_min_delay(FIRST_DELAY)
        .with_max_delay(LONGEST_DELAY)
        .with_factor(2.0)
        .with_jitter()
        .without_max_times()
        .build();
    let mut count = 0;
    let mut doubtful = false;
    loop {
        count += 1;
        let err = match attempt().await {
            Ok(value) => return Attempts::new(Ending::Done(value), count, doubtful),
            Err(err) => err,
        };
        if !retryable(&err) {
            return Attempts::new(Ending::Refused(err), count, doubtful);
        }
        doubtful |= may_have_committed(&err);
        let delay = delays.next().unwrap_or(LONGEST_DELAY);
        let out_of_attempts = patience.max_attempts.is_some_and(|max| count >= max);
        if out_of_attempts || Instant::now() + delay > deadline {
            return Attempts::new(Ending::GaveUp(err), count, doubtful);
        }
        tokio::time::sleep(delay).await;
    }
}

impl<T> Attempts<T> {
    fn new(ending: Ending<T>, count: u32, doubtful: bool) -> Attempts<T> {
        Attempts {
            ending,
            count,
            doubtful,
        }
    }
}

/// Parses `--patience`: `90s`, `10m`, `1h`, `1h30m` or plain seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let accepted = "expected a duration such as 90s, 10m, 1h or 1h30m";
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    let mut total = 0u64;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => return Err(format!("{text:?}: unknown unit {c:?}; {accepted}")),
        };
        let value: u64 = number
            .parse()
            .map_err(|_| format!("{text:?}: a unit without a number; {accepted}"))?;
        total = total.saturating_add(value.saturating_mul(unit));
        number.clear();
    }
    if !number.is_empty() || text.is_empty() {
        return Err(format!("{text:?}: {accepted}"));
    }
    Ok(Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn err(kind: ApiErrorKind) -> ApiError {
        ApiError::new(kind, format!("{kind:?}"), "scripted")
    }

    /// Answers the kinds in turn, then succeeds.
    async fn scripted(patience: Patience, kinds: &[ApiErrorKind]) -> Attempts<u32> {
        let calls = AtomicU32::new(0);
        retry(patience, || {
            let n = calls.fetch_add(1, Ordering::SeqCst) as usize;
            async move { kinds.get(n).map_or(Ok(7), |kind| Err(err(*kind))) }
        })
        .await
    }

    #[tokio::test(start_paused = true)]
    async fn retryable_answers_are_retried_until_success() {
        use ApiErrorKind::*;
        let a = scripted(Patience::default(), &[Throttling, Throttling, Throttling]).await;
        assert_eq!((a.ending, a.count, a.doubtful), (Ending::Done(7), 4, false));
        let a = scripted(Patience::default(), &[Transport, InternalService]).await;
        assert_eq!((a.ending, a.count, a.doubtful), (Ending::Done(7), 3, true));
    }

    #[tokio::test(start_paused = true)]
    async fn a_final_answer_ends_at_once() {
        use ApiErrorKind::*;
        let a = scripted(Patience::default(), &[Transport, InvalidParameter]).await;
        assert_eq!(a.ending, Ending::Refused(err(InvalidParameter)));
        assert_eq!((a.count, a.doubtful), (2, true));
        let a = scripted(Patience::default(), &[LimitExceeded]).await;
        assert_eq!(
            (a.ending, a.count),
            (Ending::Refused(err(LimitExceeded)), 1)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn patience_is_time_not_attempts() {
        let throttled = [ApiErrorKind::Throttling; 1000];
        let started = tokio::time::Instant::now();
        let patience = Patience {
            budget: Duration::from_secs(120),
            max_attempts: None,
        };
        let a = scripted(patience, &throttled).await;
        assert_eq!(a.ending, Ending::GaveUp(err(ApiErrorKind::Throttling)));
        let waited = started.elapsed();
        assert!(waited <= Duration::from_secs(120), "{waited:?}");
        // Delays grow to 15–30 s, so two minutes take more than a handful
        // of attempts but far fewer than a fixed small delay would.
        assert!((8..30).contains(&a.count), "{}", a.count);
        let bounded = Patience {
            budget: Duration::from_secs(120),
            max_attempts: Some(3),
        };
        assert_eq!(scripted(bounded, &throttled).await.count, 3);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert!(parse_duration("10 minutes").is_err());
        assert!(parse_duration("m").is_err());
        assert!(parse_duration("").is_err());
    }
}
