//! The picker's screens. Each keeps its state, its update and its drawing side by side; the
//! picker's [`Model`](super::model::Model) holds them and routes messages to the one in view.

pub mod lookup;
pub mod numbers;
