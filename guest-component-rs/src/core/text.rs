//! `transform-string`.

/// The characters of `text` reversed, then each upper-cased as
/// `char::to_uppercase` does (full Unicode mapping: one character may become
/// several, "ß" becomes "SS"), so the result can be longer than the input.
pub fn transform_text(text: &str) -> String {
    let output: String = text.chars().rev().flat_map(char::to_uppercase).collect();
    say!("[WASM Core] transform_text: {text:?} -> {output:?}");
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverses_characters_then_upper_cases() {
        assert_eq!(transform_text("Hello"), "OLLEH");
        assert_eq!(transform_text(""), "");
        assert_eq!(transform_text("a"), "A");
        assert_eq!(
            transform_text("Grüße vom 🦀 an C++ ✓"),
            "✓ ++C NA 🦀 MOV ESSÜRG"
        );
    }

    #[test]
    fn full_unicode_mapping_can_lengthen_the_text() {
        assert_eq!(transform_text("ß"), "SS");
        assert_eq!(transform_text("aß"), "SSA");
        // U+0149 (ŉ) upper-cases to two characters, ʼN.
        assert_eq!(transform_text("ŉ"), "\u{2bc}N");
        assert_eq!(transform_text("é"), "É");
    }

    #[test]
    fn reverses_characters_not_bytes() {
        // Multi-byte characters stay whole (the result is valid UTF-8).
        assert_eq!(transform_text("äö"), "ÖÄ");
        assert_eq!(transform_text("12 3"), "3 21");
    }
}
