//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod agents;
pub mod apply;
pub mod export;
pub mod local_server;
pub mod model;
pub mod ragged_files;
pub mod sdk;
pub mod terminal;
