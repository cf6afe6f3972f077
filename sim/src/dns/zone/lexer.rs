//! Splits master-file text into entries and tokens (RFC 1035 §5.1).
//!
//! - An entry is one line, or several when parentheses group them: "Parentheses are used to
//!   group data that crosses a line boundary. In effect, line terminations are not recognized
//!   within parentheses."
//! - `;` starts a comment that runs to the end of the line.
//! - A line that begins with a blank inherits the previous owner name, so each entry says
//!   whether its first line started with a blank.
//! - `"…"` is a quoted <character-string>; `\X` quotes X and `\DDD` is a decimal octet.
//!
//! Words keep their escapes (names decode them against an origin later); quoted strings are
//! decoded here. Positions are 1-based lines and columns counted in characters.

use std::iter::Peekable;
use std::str::Chars;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tok {
    /// Unquoted text, escapes kept as written.
    Word(String),
    /// A quoted string, escapes decoded to octets.
    Quoted(Vec<u8>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub pos: Pos,
}

impl Token {
    /// How the token reads in an error message.
    pub fn describe(&self) -> String {
        match &self.tok {
            Tok::Word(w) => format!("{:?}", shorten(w)),
            Tok::Quoted(_) => "a quoted string".to_string(),
        }
    }
}

/// One logical entry: a directive or a record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Whether the entry's first line starts with a space or tab (owner omitted).
    pub blank_start: bool,
    pub tokens: Vec<Token>,
    /// Just past the last token: where "found the end of the line" points.
    pub end: Pos,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LexError {
    pub pos: Pos,
    pub expected: String,
    pub found: String,
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s.to_string()
    }
}

struct Lexer<'a> {
    chars: Peekable<Chars<'a>>,
    pos: Pos,
}

impl Lexer<'_> {
    fn bump(&mut self) -> Option<char> {
        let c = self.chars.next()?;
        if c == '\n' {
            self.pos.line += 1;
            self.pos.col = 1;
        } else {
            self.pos.col += 1;
        }
        Some(c)
    }

    fn peek(&mut self) -> Option<char> {
        self.chars.peek().copied()
    }

    /// An unquoted word: up to a blank, a line end, `(`, `)`, `;` or `"`, escapes kept.
    fn word(&mut self) -> Result<String, LexError> {
        let mut w = String::new();
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\r' | '\n' | '(' | ')' | ';' | '"' => break,
                '\\' => {
                    let at = self.pos;
                    self.bump();
                    match self.bump() {
                        Some('\n') | None => {
                            return Err(LexError {
                                pos: at,
                                expected:
                                    "a character or three digits after \"\\\" (RFC 1035 §5.1)"
                                        .into(),
                                found: "the end of the line".into(),
                            })
                        }
                        Some(e) => {
                            w.push('\\');
                            w.push(e);
                        }
                    }
                }
                c => {
                    self.bump();
                    w.push(c);
                }
            }
        }
        Ok(w)
    }

    /// A quoted string after its opening `"` at `open`, decoded to octets.
    fn quoted(&mut self, open: Pos) -> Result<Vec<u8>, LexError> {
        let mut out = Vec::new();
        let mut buf = [0u8; 4];
        let unterminated = |found: &str| LexError {
            pos: open,
            expected: "a closing '\"' on the same line for the string opened here".into(),
            found: found.into(),
        };
        loop {
            match self.peek() {
                None => return Err(unterminated("the end of the file")),
                Some('\n') => return Err(unterminated("the end of the line")),
                Some('"') => {
                    self.bump();
                    return Ok(out);
                }
                Some('\\') => {
                    let at = self.pos;
                    self.bump();
                    let bad = |found: String| LexError {
                        pos: at,
                        expected: "\\X or \\DDD with DDD from 000 to 255 (RFC 1035 §5.1)".into(),
                        found,
                    };
                    match self.peek() {
                        None | Some('\n') => return Err(bad("the end of the line".into())),
                        Some(d) if d.is_ascii_digit() => {
                            let mut v = 0u32;
                            for _ in 0..3 {
                                match self.peek().and_then(|c| c.to_digit(10)) {
                                    Some(d) => {
                                        self.bump();
                                        v = v * 10 + d;
                                    }
                                    None => {
                                        return Err(bad(format!(
                                            "{:?}",
                                            self.peek().map(String::from).unwrap_or_default()
                                        )))
                                    }
                                }
                            }
                            if v > 255 {
                                return Err(bad(format!("\\{v}")));
                            }
                            out.push(v as u8);
                        }
                        Some(c) => {
                            self.bump();
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                    }
                }
                Some(c) => {
                    self.bump();
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
            }
        }
    }
}

/// The entries of a text, one at a time, so that a parser sees the directives before an entry
/// (and knows the origin) when a later entry turns out malformed.
pub struct Entries<'a> {
    lx: Lexer<'a>,
    done: bool,
}

/// Splits `text` into entries; blank and comment-only lines produce none.
pub fn entries(text: &str) -> Entries<'_> {
    Entries {
        lx: Lexer {
            chars: text.chars().peekable(),
            pos: Pos { line: 1, col: 1 },
        },
        done: false,
    }
}

impl Iterator for Entries<'_> {
    type Item = Result<Entry, LexError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let r = self.entry();
        if !matches!(r, Some(Ok(_))) {
            self.done = true;
        }
        r
    }
}

impl Entries<'_> {
    /// The next entry: `None` at the end of the text.
    fn entry(&mut self) -> Option<Result<Entry, LexError>> {
        let lx = &mut self.lx;
        let mut cur: Option<Entry> = None;
        let mut depth = 0u32;
        let mut open_at = lx.pos;
        // Whether the current physical line started with a blank (decided by its first
        // character); entries always start on a fresh line.
        let mut line_blank: Option<bool> = None;
        while let Some(c) = lx.peek() {
            let at = lx.pos;
            if line_blank.is_none() && c != '\n' {
                line_blank = Some(c == ' ' || c == '\t');
            }
            let start = |cur: &mut Option<Entry>| {
                cur.get_or_insert_with(|| Entry {
                    blank_start: line_blank.unwrap_or(false),
                    tokens: Vec::new(),
                    end: at,
                });
            };
            match c {
                ' ' | '\t' | '\r' => {
                    lx.bump();
                }
                '\n' => {
                    lx.bump();
                    line_blank = None;
                    if depth == 0 {
                        if let Some(e) = cur.take() {
                            if !e.tokens.is_empty() {
                                return Some(Ok(e));
                            }
                        }
                    }
                }
                ';' => {
                    while lx.peek().is_some_and(|c| c != '\n') {
                        lx.bump();
                    }
                }
                '(' => {
                    lx.bump();
                    start(&mut cur);
                    if depth == 0 {
                        open_at = at;
                    }
                    depth += 1;
                }
                ')' => {
                    if depth == 0 {
                        return Some(Err(LexError {
                            pos: at,
                            expected: "a record or directive".into(),
                            found: "')' without a matching '('".into(),
                        }));
                    }
                    lx.bump();
                    depth -= 1;
                }
                '"' => {
                    lx.bump();
                    start(&mut cur);
                    let s = match lx.quoted(at) {
                        Ok(s) => s,
                        Err(e) => return Some(Err(e)),
                    };
                    if let Some(e) = cur.as_mut() {
                        e.tokens.push(Token {
                            tok: Tok::Quoted(s),
                            pos: at,
                        });
                        e.end = lx.pos;
                    }
                }
                _ => {
                    start(&mut cur);
                    let w = match lx.word() {
                        Ok(w) => w,
                        Err(e) => return Some(Err(e)),
                    };
                    if let Some(e) = cur.as_mut() {
                        e.tokens.push(Token {
                            tok: Tok::Word(w),
                            pos: at,
                        });
                        e.end = lx.pos;
                    }
                }
            }
        }
        if depth > 0 {
            return Some(Err(LexError {
                pos: open_at,
                expected: "')' to close the '(' opened here".into(),
                found: "the end of the file".into(),
            }));
        }
        cur.filter(|e| !e.tokens.is_empty()).map(Ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(text: &str) -> String {
        match entries(text).collect::<Result<Vec<_>, _>>() {
            Ok(es) => es
                .iter()
                .map(|e| {
                    let toks: Vec<String> = e
                        .tokens
                        .iter()
                        .map(|t| match &t.tok {
                            Tok::Word(w) => format!("{}:{} {w}", t.pos.line, t.pos.col),
                            Tok::Quoted(q) => format!(
                                "{}:{} \"{}\"",
                                t.pos.line,
                                t.pos.col,
                                String::from_utf8_lossy(q)
                            ),
                        })
                        .collect();
                    format!(
                        "{}[{}]\n",
                        if e.blank_start { "_" } else { "" },
                        toks.join(", ")
                    )
                })
                .collect(),
            Err(e) => format!(
                "error {}:{}: expected {}, found {}\n",
                e.pos.line, e.pos.col, e.expected, e.found
            ),
        }
    }

    #[test]
    fn entries_tokens_and_positions() {
        expect_test::expect![[r#"
            [1:1 @, 1:5 IN, 1:8 SOA, 1:12 VENERA, 1:19 Action\.domains, 2:5 20, 3:5 7200]
            _[5:9 NS, 5:12 A.ISI.EDU.]
            [6:1 x, 6:3 TXT, 6:7 "a "q";b", 6:19 c\;d]
        "#]]
        .assert_eq(&show(
            "@   IN SOA VENERA Action\\.domains (\n    20 ; SERIAL\n    7200 )\n; only a comment\n        NS A.ISI.EDU.\nx TXT \"a \\\"q\\\";b\" c\\;d ; comment\n\n",
        ));
    }

    #[test]
    fn errors_point_at_the_cause() {
        expect_test::expect![[r#"
            error 1:7: expected a closing '"' on the same line for the string opened here, found the end of the line
        "#]]
        .assert_eq(&show("a TXT \"open\nb A 1.2.3.4\n"));
        expect_test::expect![[r#"
            error 1:9: expected ')' to close the '(' opened here, found the end of the file
        "#]]
        .assert_eq(&show("@ SOA a (\n 1 2 3\n"));
        expect_test::expect![[r#"
            error 2:3: expected a record or directive, found ')' without a matching '('
        "#]]
        .assert_eq(&show("a A 1.2.3.4\n  ) \n"));
        expect_test::expect![[r#"
            error 1:10: expected \X or \DDD with DDD from 000 to 255 (RFC 1035 §5.1), found \300
        "#]]
        .assert_eq(&show("a TXT \"ab\\300\"\n"));
    }

    #[test]
    fn crlf_and_tabs() {
        expect_test::expect![[r#"
            [1:1 a, 1:3 A, 1:5 192.0.2.1]
            _[2:2 A, 2:4 192.0.2.2]
        "#]]
        .assert_eq(&show("a A 192.0.2.1\r\n\tA 192.0.2.2\r\n"));
    }
}
