//! Never built: this package only names the crate whose headers the wheel
//! provider takes (see Cargo.toml).
