//! The adaptive bucket's arithmetic, on explicit instants (no sleeping),
//! and its one async behaviour on real time with lower bounds only.

use super::*;

fn ms(d: Duration) -> u128 {
    d.as_millis()
}

#[test]
fn rejects_nonsense() {
    assert!(Pacer::new(0.0, 5).is_err());
    assert!(Pacer::new(f64::NAN, 5).is_err());
    assert!(Pacer::new(2.0, 0).is_err());
    assert!(Pacer::new(0.5, 1).is_ok());
    assert!(Pacer::new(1e-300, 1).is_err());
}

#[test]
fn burst_is_immediate_then_paced() {
    let pacer = Pacer::new(10.0 / MARGIN, 3).unwrap();
    let t0 = Instant::now();
    for _ in 0..3 {
        assert_eq!(pacer.reserve(t0, 0.5).0, t0, "burst tokens go at once");
    }
    // Then one every 100 ms, in order.
    let next: Vec<u128> = (0..3).map(|_| ms(pacer.reserve(t0, 0.0).0 - t0)).collect();
    assert_eq!(next, [100, 200, 300]);
}

#[test]
fn jitter_stays_in_the_slot_and_never_outruns_the_quota() {
    let pacer = Pacer::new(10.0 / MARGIN, 1).unwrap();
    let t0 = Instant::now();
    pacer.reserve(t0, 0.0);
    // Late in its slot, then early in the next: no closer than the quota's
    // 98 ms (the pacer's own slots are 100 ms).
    let late = ms(pacer.reserve(t0, 0.99).0 - t0);
    let early = ms(pacer.reserve(t0, 0.0).0 - t0);
    assert_eq!(late, 199);
    assert_eq!(early, 199 + 98);
}

#[test]
fn throttles_cut_the_rate_once_per_event_and_down_to_a_floor() {
    let pacer = Pacer::new(2.0, 5).unwrap();
    let ceiling = 2.0 * MARGIN;
    let t0 = Instant::now();
    pacer.feedback(t0, true, t0 + Duration::from_millis(10));
    assert!((pacer.rate() - ceiling * SLOW_CUT).abs() < 1e-9);
    // A throttle of a request sent before the cut is the same event.
    pacer.feedback(t0, true, t0 + Duration::from_millis(20));
    assert!((pacer.rate() - ceiling * SLOW_CUT).abs() < 1e-9);
    // Another soon after: the rate was far too high.
    let t1 = t0 + Duration::from_secs(1);
    pacer.feedback(t1, true, t1);
    assert!((pacer.rate() - ceiling * SLOW_CUT * FAST_CUT).abs() < 1e-9);
    // The burst allowance shrinks with the rate.
    assert!(pacer.lock().capacity < 5.0);
    let mut t = t1;
    for _ in 0..50 {
        t += Duration::from_millis(100);
        pacer.feedback(t, true, t);
    }
    assert!((pacer.rate() - ceiling * FLOOR).abs() < 1e-9);
    assert_eq!(pacer.throttles(), 53);
}

#[test]
fn the_rate_creeps_while_throttles_are_recent_and_comes_back_once_the_quota_is_free() {
    let pacer = Pacer::new(2.0, 5).unwrap();
    let ceiling = 2.0 * MARGIN;
    let t0 = Instant::now();
    pacer.feedback(t0, true, t0);
    pacer.feedback(t0, true, t0 + Duration::from_secs(1));
    let cut = pacer.rate();
    let mut t = t0 + Duration::from_secs(1);
    let answer_every = Duration::from_millis(500);
    while t < t0 + Duration::from_secs(1) + FREE_AFTER {
        t += answer_every;
        pacer.feedback(t, false, t);
    }
    // Six quiet seconds: hardly higher than after the cut.
    assert!(pacer.rate() < cut * 1.05, "{} vs {cut}", pacer.rate());
    for _ in 0..10 {
        t += answer_every;
        pacer.feedback(t, false, t);
    }
    // Five more: the whole quota again, and never above it.
    assert!((pacer.rate() - ceiling).abs() < 1e-9, "{}", pacer.rate());
    assert!((pacer.lock().capacity - 5.0).abs() < 1e-9);
}

#[tokio::test]
async fn a_request_waiting_when_the_rate_is_cut_takes_a_slot_at_the_new_rate() {
    let pacer = std::sync::Arc::new(Pacer::new(20.0, 1).unwrap());
    let start = Instant::now();
    pacer.acquire().await;
    let waiting = {
        let pacer = pacer.clone();
        tokio::spawn(async move { pacer.acquire().await })
    };
    tokio::time::sleep(Duration::from_millis(10)).await;
    // Throttles cut the rate to a fifth: the waiting request's 50 ms slot
    // becomes a 250 ms one.
    for _ in 0..20 {
        let now = Instant::now();
        pacer.feedback(now, true, now);
    }
    let went = waiting.await.unwrap();
    assert!(
        went.duration_since(start) >= Duration::from_millis(200),
        "{:?}",
        went.duration_since(start)
    );
}
