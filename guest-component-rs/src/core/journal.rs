//! `fill-journal`, over the host's `journal` resource.

/// The host's `journal` resource: the guest only holds a handle
/// ([`JournalHost::Journal`], dropped when the guest is done with it).
pub trait JournalHost {
    type Journal;
    fn create(&mut self, title: &str) -> Self::Journal;
    fn append(&mut self, journal: &Self::Journal, line: &str);
    fn len(&mut self, journal: &Self::Journal) -> u32;
}

/// Creates one journal titled `title`, appends each line in order, and
/// returns the journal's `len()` as the host reports it (not the number of
/// lines: the host's answer is what is returned). The handle is dropped
/// before returning.
pub fn fill_journal<H: JournalHost>(host: &mut H, title: &str, lines: &[String]) -> u32 {
    let journal = host.create(title);
    for line in lines {
        host.append(&journal, line);
    }
    host.len(&journal)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Journals kept in a Vec; a handle is the index. Records the calls.
    #[derive(Default)]
    struct FakeHost {
        journals: Vec<(String, Vec<String>)>,
        calls: Vec<String>,
        len_offset: u32,
    }

    impl JournalHost for FakeHost {
        type Journal = usize;
        fn create(&mut self, title: &str) -> usize {
            self.calls.push(format!("create {title}"));
            self.journals.push((title.to_owned(), Vec::new()));
            self.journals.len() - 1
        }
        fn append(&mut self, journal: &usize, line: &str) {
            self.calls.push(format!("append {journal} {line}"));
            self.journals[*journal].1.push(line.to_owned());
        }
        fn len(&mut self, journal: &usize) -> u32 {
            self.calls.push(format!("len {journal}"));
            self.journals[*journal].1.len() as u32 + self.len_offset
        }
    }

    fn lines(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn creates_one_journal_appends_in_order_and_returns_len() {
        let mut host = FakeHost::default();
        assert_eq!(fill_journal(&mut host, "t", &lines(&["a", "b", "a"])), 3);
        assert_eq!(
            host.calls,
            [
                "create t",
                "append 0 a",
                "append 0 b",
                "append 0 a",
                "len 0"
            ]
        );
        assert_eq!(host.journals, [("t".to_owned(), lines(&["a", "b", "a"]))]);
    }

    #[test]
    fn no_lines_still_creates_the_journal() {
        let mut host = FakeHost::default();
        assert_eq!(fill_journal(&mut host, "", &[]), 0);
        assert_eq!(host.calls, ["create ", "len 0"]);
    }

    #[test]
    fn returns_what_the_host_says() {
        let mut host = FakeHost {
            len_offset: 10,
            ..Default::default()
        };
        assert_eq!(fill_journal(&mut host, "x", &lines(&["1"])), 11);
    }
}
