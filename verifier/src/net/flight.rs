//! One fetch shared by the callers that wait for the same document.
//!
//! Under load, many verifications of badges from one issuer ask for the same
//! status list at the same moment; each used to send its own revalidation.
//! [`Flights::run`] lets them share one, without ever handing a caller an
//! answer to a request sent before it arrived: a caller that finds a fetch
//! already under way waits for it to end, then shares the next one, which
//! starts after its arrival. So a revocation is still seen by every
//! verification that starts after the issuer recorded it.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

/// The fetches under way, by key, each shared by its waiting callers.
pub struct Flights<T> {
    keys: Mutex<HashMap<String, Arc<Flight<T>>>>,
}

impl<T> Default for Flights<T> {
    fn default() -> Self {
        Flights {
            keys: Mutex::new(HashMap::new()),
        }
    }
}

/// The state of one key: the fetches started and ended, and the answer of
/// the last one ended.
struct Flight<T> {
    state: Mutex<FlightState<T>>,
    ended: Condvar,
}

struct FlightState<T> {
    /// Callers holding this flight (waiting or fetching); it leaves the map
    /// when the last one goes.
    users: usize,
    /// Number of fetches started; the last one may still run.
    started: u64,
    /// Number of fetches ended, with the answer of the last one.
    ended: u64,
    running: bool,
    answer: Option<T>,
}

fn relock<G>(result: Result<G, PoisonError<G>>) -> G {
    result.unwrap_or_else(PoisonError::into_inner)
}

impl<T: Clone> Flights<T> {
    /// Runs `fetch` for `key`, or shares the answer of a fetch of `key`
    /// started after this call began.
    pub fn run(&self, key: &str, fetch: impl FnOnce() -> T) -> T {
        let flight = {
            let mut keys = relock(self.keys.lock());
            let flight = Arc::clone(keys.entry(key.to_owned()).or_insert_with(|| {
                Arc::new(Flight {
                    state: Mutex::new(FlightState {
                        users: 0,
                        started: 0,
                        ended: 0,
                        running: false,
                        answer: None,
                    }),
                    ended: Condvar::new(),
                })
            }));
            relock(flight.state.lock()).users += 1;
            flight
        };
        let answer = Self::share(&flight, fetch);
        let mut keys = relock(self.keys.lock());
        let mut state = relock(flight.state.lock());
        state.users -= 1;
        if state.users == 0 {
            keys.remove(key);
        }
        answer
    }

    /// Waits for the first fetch started after now, starting it when no
    /// other caller does.
    fn share(flight: &Flight<T>, fetch: impl FnOnce() -> T) -> T {
        let mut state = relock(flight.state.lock());
        let needed = state.started + 1;
        loop {
            if state.ended >= needed {
                if let Some(answer) = &state.answer {
                    return answer.clone();
                }
            }
            if !state.running {
                state.running = true;
                state.started += 1;
                let this = state.started;
                drop(state);
                // Should `fetch` panic, the next waiter fetches instead.
                let unwinding = Unwinding(flight);
                let answer = fetch();
                std::mem::forget(unwinding);
                let mut state = relock(flight.state.lock());
                state.running = false;
                state.ended = this;
                state.answer = Some(answer.clone());
                flight.ended.notify_all();
                return answer;
            }
            state = Flight::wait(flight, state);
        }
    }
}

/// Marks the fetch as no longer running when it unwinds.
struct Unwinding<'a, T>(&'a Flight<T>);

impl<T> Drop for Unwinding<'_, T> {
    fn drop(&mut self) {
        relock(self.0.state.lock()).running = false;
        self.0.ended.notify_all();
    }
}

impl<T> Flight<T> {
    fn wait<'a>(
        flight: &'a Flight<T>,
        state: MutexGuard<'a, FlightState<T>>,
    ) -> MutexGuard<'a, FlightState<T>> {
        relock(flight.ended.wait(state))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Barrier;
    use std::thread;
    use std::time::Duration;

    #[test]
    fn callers_arriving_together_share_fetches_and_none_gets_an_older_answer() {
        let flights = Arc::new(Flights::<u64>::default());
        // The "document version": bumped before each fetch starts; a caller
        // must never receive a version fetched before it arrived.
        let version = Arc::new(AtomicU64::new(0));
        let fetches = Arc::new(AtomicU64::new(0));
        let callers = 16;
        let barrier = Arc::new(Barrier::new(callers));
        let handles: Vec<_> = (0..callers)
            .map(|_| {
                let (flights, version, fetches, barrier) = (
                    Arc::clone(&flights),
                    Arc::clone(&version),
                    Arc::clone(&fetches),
                    Arc::clone(&barrier),
                );
                thread::spawn(move || {
                    barrier.wait();
                    let seen_at_arrival = version.load(Ordering::SeqCst);
                    let answer = flights.run("list", || {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        let v = version.fetch_add(1, Ordering::SeqCst) + 1;
                        thread::sleep(Duration::from_millis(20));
                        v
                    });
                    assert!(
                        answer > seen_at_arrival,
                        "answer {answer} from a fetch started before arrival ({seen_at_arrival})"
                    );
                })
            })
            .collect();
        for handle in handles {
            handle.join().expect("caller");
        }
        let fetched = fetches.load(Ordering::SeqCst);
        assert!(
            fetched >= 1 && fetched < callers as u64,
            "{fetched} fetches"
        );
        assert!(relock(flights.keys.lock()).is_empty(), "flight left behind");
    }

    #[test]
    fn a_caller_after_a_fetch_ended_fetches_again() {
        let flights = Flights::<u32>::default();
        assert_eq!(flights.run("k", || 1), 1);
        assert_eq!(flights.run("k", || 2), 2);
    }
}
