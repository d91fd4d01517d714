//! WIT names as C++ identifiers.

/// C++20 keywords and alternative tokens: a WIT name that is one gets a
/// trailing `_` (which the typed layer's record macro strips again).
const CPP_KEYWORDS: &[&str] = &[
    "alignas",
    "alignof",
    "and",
    "and_eq",
    "asm",
    "auto",
    "bitand",
    "bitor",
    "bool",
    "break",
    "case",
    "catch",
    "char",
    "char8_t",
    "char16_t",
    "char32_t",
    "class",
    "compl",
    "concept",
    "const",
    "consteval",
    "constexpr",
    "constinit",
    "const_cast",
    "continue",
    "co_await",
    "co_return",
    "co_yield",
    "decltype",
    "default",
    "delete",
    "do",
    "double",
    "dynamic_cast",
    "else",
    "enum",
    "explicit",
    "export",
    "extern",
    "false",
    "float",
    "for",
    "friend",
    "goto",
    "if",
    "inline",
    "int",
    "long",
    "mutable",
    "namespace",
    "new",
    "noexcept",
    "not",
    "not_eq",
    "nullptr",
    "operator",
    "or",
    "or_eq",
    "private",
    "protected",
    "public",
    "register",
    "reinterpret_cast",
    "requires",
    "return",
    "short",
    "signed",
    "sizeof",
    "static",
    "static_assert",
    "static_cast",
    "struct",
    "switch",
    "template",
    "this",
    "thread_local",
    "throw",
    "true",
    "try",
    "typedef",
    "typeid",
    "typename",
    "union",
    "unsigned",
    "using",
    "virtual",
    "void",
    "volatile",
    "wchar_t",
    "while",
    "xor",
    "xor_eq",
];

/// Whether `name` is a C++ keyword.
pub fn is_keyword(name: &str) -> bool {
    CPP_KEYWORDS.contains(&name)
}

fn escape(name: String) -> String {
    if is_keyword(&name) {
        name + "_"
    } else {
        name
    }
}

/// `get-shared-value` -> `get_shared_value`; a keyword gets a trailing `_`.
/// The case of each word is kept (`get-URL` -> `get_URL`).
pub fn snake(name: &str) -> String {
    escape(name.replace('-', "_"))
}

/// `parse-error` -> `ParseError`, `HTTP-client` -> `HTTPClient`.
pub fn pascal(name: &str) -> String {
    let mut out = String::new();
    for word in name.split('-') {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    escape(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_and_keywords() {
        assert_eq!(snake("get-shared-value"), "get_shared_value");
        assert_eq!(snake("just-add"), "just_add");
        assert_eq!(snake("class"), "class_");
        assert_eq!(snake("new"), "new_");
        assert_eq!(snake("get-URL"), "get_URL");
        assert_eq!(snake("m31"), "m31");
    }

    #[test]
    fn pascal_case() {
        assert_eq!(pascal("parse-error"), "ParseError");
        assert_eq!(pascal("plugin"), "Plugin");
        assert_eq!(pascal("host-echo"), "HostEcho");
        assert_eq!(pascal("HTTP-client"), "HTTPClient");
    }
}
