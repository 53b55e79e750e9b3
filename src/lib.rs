//! `connect-users` as a library: a pure core (template, parse, validate,
//! plan) with the instance API, files and terminal at the edges.
//!
//! The library never prints to stdout or stderr on its own; the command
//! modules under [`commands`] are the only place that writes output.

pub mod apply;
pub mod cli;
pub mod commands;
pub mod connect;
pub mod exit;
pub mod finding;
pub mod identity;
pub mod input;
pub mod local;
pub mod online;
pub mod output;
pub mod plan;
pub mod secret;
pub mod template;
pub mod user;
pub mod validate;
