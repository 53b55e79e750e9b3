//! A local Amazon Connect instance: a persistent store of instances, their
//! routing profiles, security profiles, user hierarchy and users, with the
//! service's server-side checks.
//!
//! Three layers, each usable on its own: [`store`] keeps the data in SQLite
//! (one transaction per write), [`service`] implements the operations with
//! the service's checks and error types, and two front ends share it —
//! [`server`] speaks the real wire protocol over HTTP (`local serve`) and
//! [`api::LocalApi`] calls it in-process for `--local`.

pub mod api;
pub mod channel_rules;
pub mod config;
pub mod ids;
pub mod paging;
pub mod passwords;
pub mod proficiencies;
mod refs;
pub mod rules;
pub mod search;
pub mod search_lag;
pub mod seed;
mod seed_load;
pub mod server;
pub mod service;
pub mod settings;
pub mod store;
pub mod updates;

pub mod db;

#[cfg(test)]
mod tests;
