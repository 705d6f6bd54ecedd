//! Widget.
