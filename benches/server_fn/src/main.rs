//! Leptos' `server_fn` 0.8, without Leptos (its `axum` feature), serving the parity fixture's
//! `greet` and `subscribe` for `benches/load.sh`, on `127.0.0.1:$PORT` (default 4331):
//!
//! - `POST /api/greet`, JSON `{"name":"Ada"}` in, JSON `"Hello, Ada!"` out;
//! - `POST /api/subscribe`, urlencoded `email=…` in, JSON `{"email":…,"subscribed":true}` out;
//! - `GET /ping`, `pong`.
//!
//! The wire format is server_fn's own; the checks are the ones the hand-written baseline does
//! by hand (a non-empty name, an e-mail address's shape). With `$STATS_PORT` set,
//! `GET http://127.0.0.1:$STATS_PORT/` answers `<allocations> <bytes>` so far (the same
//! counting allocator as `benches/baseline/main.rs`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

use axum::Router;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use server_fn::ServerFnError;
use server_fn::client::reqwest::ReqwestClient;
use server_fn::codec::{Json, PostUrl};
use server_fn_macro_default::server;

/// `greet`: a name of at least one UTF-16 unit.
#[server(endpoint = "greet", input = Json, output = Json, client = ReqwestClient)]
pub async fn greet(name: String) -> Result<String, ServerFnError> {
    if name.is_empty() {
        return Err(ServerFnError::Args("name: Too small".into()));
    }
    Ok(format!("Hello, {name}!"))
}

/// What `subscribe` answers.
#[derive(Clone, Serialize, Deserialize)]
pub struct Subscribed {
    pub email: String,
    pub subscribed: bool,
}

/// `subscribe`: an e-mail address from a urlencoded form.
#[server(endpoint = "subscribe", input = PostUrl, output = Json, client = ReqwestClient)]
pub async fn subscribe(email: String) -> Result<Subscribed, ServerFnError> {
    if !looks_like_email(&email) {
        return Err(ServerFnError::Args("email: Invalid email address".into()));
    }
    Ok(Subscribed {
        email,
        subscribed: true,
    })
}

/// The check a user writes by hand: one `@`, something before it, a dot after it.
fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain
                    .split_once('.')
                    .is_some_and(|(host, tld)| !host.is_empty() && !tld.is_empty())
                && !email.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// Counts allocations and bytes in per-thread slots (each written by one thread only, so the
/// count costs a load and a store, no locked instruction and no shared cache line).
struct Counting;

const SLOTS: usize = 64;

#[repr(align(128))]
struct Slot {
    allocs: AtomicU64,
    bytes: AtomicU64,
}

static COUNTS: [Slot; SLOTS] = [const {
    Slot {
        allocs: AtomicU64::new(0),
        bytes: AtomicU64::new(0),
    }
}; SLOTS];
static NEXT_SLOT: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static SLOT: Cell<usize> = const { Cell::new(usize::MAX) };
}

fn count(bytes: usize) {
    let slot = SLOT
        .try_with(|slot| {
            if slot.get() == usize::MAX {
                slot.set(NEXT_SLOT.fetch_add(1, Relaxed) % SLOTS);
            }
            slot.get()
        })
        .unwrap_or(SLOTS - 1);
    let slot = &COUNTS[slot];
    // Threads beyond SLOTS share slots: fetch_add keeps those counts right too; it is
    // uncontended in the common case.
    slot.allocs.fetch_add(1, Relaxed);
    slot.bytes.fetch_add(bytes as u64, Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`; counting neither allocates nor
// touches the memory handed out.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller upholds `GlobalAlloc::alloc_zeroed`'s contract.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller upholds `GlobalAlloc::dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: the caller upholds `GlobalAlloc::realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn totals() -> (u64, u64) {
    COUNTS.iter().fold((0, 0), |(a, b), slot| {
        (a + slot.allocs.load(Relaxed), b + slot.bytes.load(Relaxed))
    })
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    server_fn::axum::register_explicit::<Greet>();
    server_fn::axum::register_explicit::<Subscribe>();
    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|port| port.parse().ok())
        .unwrap_or(4331);
    let app = Router::new()
        .route("/api/{*fn_name}", post(server_fn::axum::handle_server_fn))
        .route("/ping", get(|| async { "pong" }));
    if let Some(stats) = std::env::var("STATS_PORT").ok().and_then(|p| p.parse::<u16>().ok()) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", stats)).await?;
        let counts = Router::new().route(
            "/",
            get(|| async {
                let (allocs, bytes) = totals();
                format!("{allocs} {bytes}\n")
            }),
        );
        tokio::spawn(async move { axum::serve(listener, counts).await });
    }
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("server_fn listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
