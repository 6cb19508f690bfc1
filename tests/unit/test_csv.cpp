#include <catch2/catch.hpp>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "anime2vec/csv.hpp"
#include "anime2vec/error.hpp"

using anime2vec::CsvParser;
using anime2vec::CsvRecord;
using anime2vec::InputError;

namespace {

struct Parsed {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;
  char delimiter = 0;

  bool operator==(const Parsed& other) const {
    return rows == other.rows && lines == other.lines && delimiter == other.delimiter;
  }
};

Parsed collect(const std::vector<std::string_view>& chunks, char delimiter = 0) {
  Parsed out;
  CsvParser parser("test.csv", delimiter);
  const auto keep = [&out](const CsvRecord& record) {
    out.rows.push_back(record.fields);
    out.lines.push_back(record.line);
  };
  for (std::string_view chunk : chunks) parser.feed(chunk, keep);
  parser.finish(keep);
  out.delimiter = parser.delimiter();
  return out;
}

Parsed parse(std::string_view bytes, char delimiter = 0) { return collect({bytes}, delimiter); }

Parsed parse_in_chunks(std::string_view bytes, std::size_t chunk_size) {
  std::vector<std::string_view> chunks;
  for (std::size_t i = 0; i < bytes.size(); i += chunk_size) {
    chunks.push_back(bytes.substr(i, chunk_size));
  }
  return collect(chunks);
}

std::string error_text(std::string_view bytes, std::size_t chunk_size = 0) {
  try {
    if (chunk_size == 0) {
      parse(bytes);
    } else {
      parse_in_chunks(bytes, chunk_size);
    }
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

using Rows = std::vector<std::vector<std::string>>;

// Small deterministic generator for test inputs (a 64-bit LCG, top bits).
struct TestRng {
  std::uint64_t state;
  std::uint32_t next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(state >> 33);
  }
};

}  // namespace

TEST_CASE("quoted fields keep delimiters and doubled quotes", "[csv]") {
  const Parsed parsed = parse("id,name\n1,\"Tiger, Bunny\"\n2,\"say \"\"hi\"\"\"\n3,\"\"\n");
  CHECK(parsed.rows == Rows{{"id", "name"}, {"1", "Tiger, Bunny"}, {"2", "say \"hi\""}, {"3", ""}});
  CHECK(parsed.lines == std::vector<std::size_t>{1, 2, 3, 4});
}

TEST_CASE("a newline inside quotes stays in the field and later lines count it", "[csv]") {
  const Parsed parsed = parse("a,b\n1,\"x\ny\"\n2,z\n");
  CHECK(parsed.rows == Rows{{"a", "b"}, {"1", "x\ny"}, {"2", "z"}});
  CHECK(parsed.lines == std::vector<std::size_t>{1, 2, 4});
}

TEST_CASE("CRLF line ends are removed and a CRLF inside quotes is one line", "[csv]") {
  const Parsed parsed = parse("a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n");
  CHECK(parsed.rows == Rows{{"a", "b"}, {"1", "x\r\ny"}, {"2", "z"}});
  CHECK(parsed.lines == std::vector<std::size_t>{1, 2, 4});
}

TEST_CASE("a lone CR also ends a line", "[csv]") {
  const Parsed parsed = parse("a,b\r1,2\r3,4");
  CHECK(parsed.rows == Rows{{"a", "b"}, {"1", "2"}, {"3", "4"}});
  CHECK(parsed.lines == std::vector<std::size_t>{1, 2, 3});
}

TEST_CASE("a UTF-8 byte order mark is dropped and counted as fed", "[csv]") {
  const std::string bytes = "\xEF\xBB\xBFid,name\n1,x\n";
  CsvParser parser("test.csv");
  Rows rows;
  const auto keep = [&rows](const CsvRecord& record) { rows.push_back(record.fields); };
  parser.feed(bytes, keep);
  parser.finish(keep);
  CHECK(rows == Rows{{"id", "name"}, {"1", "x"}});
  CHECK(parser.bytes_fed() == bytes.size());
}

TEST_CASE("a BOM-like start that is not a BOM is kept", "[csv]") {
  CHECK(error_text("\xEF\xBB") ==
        "test.csv line 1: invalid UTF-8: the input ends inside the character starting with "
        "byte 0xEF");
  CHECK(parse("\xEF\xBC\x8C,b\n").rows == Rows{{"\xEF\xBC\x8C", "b"}});
}

TEST_CASE("blank lines are skipped but still counted in line numbers", "[csv]") {
  const Parsed parsed = parse("\na,b\n\n\r\n1,2\n\n");
  CHECK(parsed.rows == Rows{{"a", "b"}, {"1", "2"}});
  CHECK(parsed.lines == std::vector<std::size_t>{2, 5});
}

TEST_CASE("the last record needs no final newline and a trailing delimiter adds an empty field",
          "[csv]") {
  CHECK(parse("a,b\n1,").rows == Rows{{"a", "b"}, {"1", ""}});
  CHECK(parse("a,b\n1,\"q\"").rows == Rows{{"a", "b"}, {"1", "q"}});
  CHECK(parse("\"\"\n").rows == Rows{{""}});
  CHECK(parse("").rows.empty());
}

TEST_CASE("stray quotes are kept: inside an unquoted field and after a closing quote", "[csv]") {
  CHECK(parse("a,b\n5\" disk,\"ab\"c\n").rows == Rows{{"a", "b"}, {"5\" disk", "abc"}});
}

TEST_CASE("the delimiter is the candidate occurring most on the first line", "[csv]") {
  const Parsed tabs = parse("user\titem\trating\n1\t2\t3.5\n");
  CHECK(tabs.delimiter == '\t');
  CHECK(tabs.rows == Rows{{"user", "item", "rating"}, {"1", "2", "3.5"}});

  const Parsed semicolons = parse("user;item;note\n1;2;a,b\n");
  CHECK(semicolons.delimiter == ';');
  CHECK(semicolons.rows == Rows{{"user", "item", "note"}, {"1", "2", "a,b"}});

  // Commas inside quotes do not count: two semicolons beat the three quoted commas.
  const Parsed quoted = parse("\"a,b,c\";\"d\"\"x,y\";e\n1;2;3\n");
  CHECK(quoted.delimiter == ';');
  CHECK(quoted.rows == Rows{{"a,b,c", "d\"x,y", "e"}, {"1", "2", "3"}});

  // A tie and a line with no candidate both give the comma.
  CHECK(parse("a,b;c\n").delimiter == ',');
  CHECK(parse("title\nx;y\n").delimiter == ',');
  CHECK(parse("title\nx;y\n").rows == Rows{{"title"}, {"x;y"}});
}

TEST_CASE("the first line may end inside quotes: detection reads the whole first record", "[csv]") {
  const Parsed parsed = parse("\"multi\nline\"\ta\tb\n1\t2\t3\n");
  CHECK(parsed.delimiter == '\t');
  CHECK(parsed.rows == Rows{{"multi\nline", "a", "b"}, {"1", "2", "3"}});
}

TEST_CASE("an explicit delimiter overrides detection", "[csv]") {
  const Parsed parsed = parse("a;b,c\n1;2,3\n", ',');
  CHECK(parsed.delimiter == ',');
  CHECK(parsed.rows == Rows{{"a;b", "c"}, {"1;2", "3"}});
}

TEST_CASE("a delimiter that would break the grammar is an invalid argument", "[csv]") {
  CHECK_THROWS_WITH(CsvParser("x", '"'),
                    "CsvParser delimiter: expected a single ASCII character other than a quote "
                    "or a line end, got byte 0x22");
  CHECK_THROWS_AS(CsvParser("x", '\n'), std::invalid_argument);
  CHECK_NOTHROW(CsvParser("x", '|'));
}

TEST_CASE("every chunking of a tricky file gives the same records as one piece", "[csv]") {
  // BOM, CRLF, quotes holding delimiters, doubled quotes and line breaks, 2-, 3- and 4-byte
  // characters, a blank line and no final newline.
  const std::string bytes =
      "\xEF\xBB\xBFid,name,genre\r\n"
      "1,\"Caf\xC3\xA9, \"\"Gintama\xC2\xB0\"\"\",\"a\r\nb\"\r\n"
      "\r\n"
      "2,\xE6\x97\xA5\xE6\x9C\xAC,\xF0\x9F\x98\x80\r\n"
      "3,\"\",\"x\ny\"\n"
      "4,last,";
  const Parsed whole = parse(bytes);
  REQUIRE(whole.rows == Rows{{"id", "name", "genre"},
                             {"1", "Caf\xC3\xA9, \"Gintama\xC2\xB0\"", "a\r\nb"},
                             {"2", "\xE6\x97\xA5\xE6\x9C\xAC", "\xF0\x9F\x98\x80"},
                             {"3", "", "x\ny"},
                             {"4", "last", ""}});
  REQUIRE(whole.lines == std::vector<std::size_t>{1, 2, 5, 6, 8});

  for (std::size_t split = 0; split <= bytes.size(); ++split) {
    const std::string_view view(bytes);
    INFO("split at " << split);
    CHECK(collect({view.substr(0, split), view.substr(split)}) == whole);
  }
  for (std::size_t chunk = 1; chunk <= bytes.size(); ++chunk) {
    INFO("chunk size " << chunk);
    CHECK(parse_in_chunks(bytes, chunk) == whole);
  }
}

TEST_CASE("an unterminated quote names the line where the field started", "[csv]") {
  const std::string bytes = "a,b\n1,\"open\nmore\n";
  const std::string expected =
      "test.csv line 2: a quoted field starting on this line is never closed";
  CHECK(error_text(bytes) == expected);
  CHECK(error_text(bytes, 1) == expected);
}

TEST_CASE("invalid UTF-8 names the source and the line of the bad byte", "[csv]") {
  // Latin-1 e-acute followed by a newline.
  CHECK(error_text("a,b\n1,caf\xE9\n2,x\n") ==
        "test.csv line 2: invalid UTF-8: byte 0x0A cannot continue the character starting "
        "with byte 0xE9 (is the file UTF-8?)");
  CHECK(error_text("a,b\n1,\"x\ny\"\n\xFF\n") ==
        "test.csv line 4: invalid UTF-8: byte 0xFF cannot start a character (is the file "
        "UTF-8?)");
  // Overlong encoding, surrogate, past U+10FFFF.
  CHECK(error_text("\xC0\xAF") ==
        "test.csv line 1: invalid UTF-8: byte 0xC0 cannot start a character (is the file "
        "UTF-8?)");
  CHECK(error_text("a\n\xED\xA0\x80") ==
        "test.csv line 2: invalid UTF-8: byte 0xA0 cannot continue the character starting "
        "with byte 0xED (is the file UTF-8?)");
  CHECK(error_text("\xF4\x90\x80\x80") ==
        "test.csv line 1: invalid UTF-8: byte 0x90 cannot continue the character starting "
        "with byte 0xF4 (is the file UTF-8?)");
  CHECK(error_text("a\n\xE2\x82") ==
        "test.csv line 2: invalid UTF-8: the input ends inside the character starting with "
        "byte 0xE2");
}

TEST_CASE("invalid UTF-8 is found at the same line whatever the chunking", "[csv]") {
  const std::string bytes = "a,b\n1,\"x\r\ny\"\n2,\xE6\x97\n";
  const std::string expected = error_text(bytes);
  CHECK(expected ==
        "test.csv line 4: invalid UTF-8: byte 0x0A cannot continue the character starting "
        "with byte 0xE6 (is the file UTF-8?)");
  for (std::size_t chunk = 1; chunk <= bytes.size(); ++chunk) {
    INFO("chunk size " << chunk);
    CHECK(error_text(bytes, chunk) == expected);
  }
}

TEST_CASE("a generated file parses the same in every chunk size", "[csv]") {
  TestRng rng{42};
  const char* pieces[] = {"plain",
                          "with space",
                          "\"quoted, comma\"",
                          "\"a \"\"b\"\"\"",
                          "\"multi\r\nline\"",
                          "\xC3\xA9t\xC3\xA9",
                          "",
                          "\xF0\x9F\x8E\x8C"};
  std::string bytes = "a,b,c\n";
  for (int row = 0; row < 60; ++row) {
    for (int column = 0; column < 3; ++column) {
      if (column > 0) bytes += ',';
      bytes += pieces[rng.next() % 8];
    }
    bytes += rng.next() % 2 == 0 ? "\n" : "\r\n";
  }
  const Parsed whole = parse(bytes);
  REQUIRE(whole.rows.size() == 61);
  for (const auto& row : whole.rows) CHECK(row.size() == 3);
  for (std::size_t chunk : {1, 2, 3, 5, 7, 64, 1000}) {
    INFO("chunk size " << chunk);
    CHECK(parse_in_chunks(bytes, chunk) == whole);
  }
}

TEST_CASE("trim_spaces removes surrounding spaces and tabs only", "[csv]") {
  CHECK(anime2vec::trim_spaces("  a b\t") == "a b");
  CHECK(anime2vec::trim_spaces(" \t ").empty());
  CHECK(anime2vec::trim_spaces("\na\n") == "\na\n");
}

TEST_CASE("parse_decimal reads signs, fractions and exponents", "[csv]") {
  const std::pair<const char*, double> cases[] = {
      {"5", 5.0},       {"-1", -1.0}, {"+7", 7.0},       {"4.5", 4.5},
      {".5", 0.5},      {"5.", 5.0},  {"0.05", 0.05},    {"1e3", 1000.0},
      {"2.5E-1", 0.25}, {"-0", -0.0}, {"007.250", 7.25}, {"1e+2", 100.0}};
  for (const auto& [text, expected] : cases) {
    double value = -999.0;
    INFO(text);
    REQUIRE(anime2vec::parse_decimal(text, value));
    CHECK(value == expected);
  }
}

TEST_CASE("parse_decimal stays within an ulp past 19 significant digits", "[csv]") {
  double value = 0.0;
  REQUIRE(anime2vec::parse_decimal("123456789012345678901234", value));
  CHECK(value == Approx(1.2345678901234568e23).epsilon(1e-15));
  REQUIRE(anime2vec::parse_decimal("1e400", value));
  CHECK(value > 1e308);
  REQUIRE(anime2vec::parse_decimal("1e-400", value));
  CHECK(value == 0.0);
}

TEST_CASE("parse_decimal rejects everything that is not a plain decimal", "[csv]") {
  for (const char* text : {"", "-", "+", ".", "abc", "1e", "1e+", "1.2.3", " 1", "1 ", "nan", "inf",
                           "0x10", "1,5", "--1", "e5", "1e5.0", "4.5a"}) {
    double value = 0.0;
    INFO("'" << text << "'");
    CHECK_FALSE(anime2vec::parse_decimal(text, value));
  }
}

TEST_CASE("parse_decimal agrees with strtod on generated decimals", "[csv]") {
  TestRng rng{7};
  for (int trial = 0; trial < 20000; ++trial) {
    std::string text;
    if (rng.next() % 4 == 0) text += '-';
    const std::uint32_t int_digits = rng.next() % 8;
    for (std::uint32_t d = 0; d < int_digits; ++d) text += static_cast<char>('0' + rng.next() % 10);
    const std::uint32_t frac_digits = rng.next() % 8;
    if (frac_digits > 0 || int_digits == 0) {
      text += '.';
      for (std::uint32_t d = 0; d <= frac_digits; ++d) {
        text += static_cast<char>('0' + rng.next() % 10);
      }
    }
    if (rng.next() % 3 == 0) text += "e" + std::to_string(static_cast<int>(rng.next() % 13) - 6);
    double value = 0.0;
    INFO(text);
    REQUIRE(anime2vec::parse_decimal(text, value));
    CHECK(value == std::strtod(text.c_str(), nullptr));
  }
}

TEST_CASE("find_header_column prefers an explicit name, then the candidates in order", "[csv]") {
  const std::vector<std::string> header{"user", "userId", "score"};
  CHECK(anime2vec::find_header_column(header, {}, {"userId", "user"}, true, "user", "r.csv", 1) ==
        1);
  CHECK(anime2vec::find_header_column(header, "user", {"userId"}, true, "user", "r.csv", 1) == 0);
  CHECK(anime2vec::find_header_column(header, {}, {"ts"}, false, "timestamp", "r.csv", 1) == -1);
  CHECK_THROWS_WITH(
      anime2vec::find_header_column(header, {}, {"movieId", "item"}, true, "item", "r.csv", 1),
      "r.csv line 1: no item column (expected one of movieId, item; found user, userId, score)");
  CHECK_THROWS_WITH(
      anime2vec::find_header_column(header, "uid", {"userId"}, false, "user", "r.csv", 1),
      "r.csv line 1: no user column named 'uid' (found user, userId, score)");
}

TEST_CASE("location formats the source, line and column prefix of error messages", "[error]") {
  CHECK(anime2vec::location("ratings.csv", 1042, "rating") ==
        "ratings.csv line 1042, column rating: ");
  CHECK(anime2vec::location("ratings.csv", 3) == "ratings.csv line 3: ");
  CHECK(anime2vec::location("ratings.csv", 0) == "ratings.csv: ");
}

TEST_CASE("quote_value quotes, escapes control bytes and shortens long values", "[error]") {
  CHECK(anime2vec::quote_value("abc") == "'abc'");
  CHECK(anime2vec::quote_value("") == "''");
  CHECK(anime2vec::quote_value("a\tb\r\nc\x01\x7F") == "'a\\tb\\r\\nc\\x01\\x7f'");

  const std::string sixty(60, 'x');
  CHECK(anime2vec::quote_value(sixty) == "'" + sixty + "'");
  CHECK(anime2vec::quote_value(sixty + "y") == "'" + sixty + "\xE2\x80\xA6'");

  // The cut falls inside a 2-byte character: it steps back to keep the text valid UTF-8.
  const std::string accented = std::string(59, 'x') + "\xC3\xA9zz";
  CHECK(anime2vec::quote_value(accented) == "'" + std::string(59, 'x') + "\xE2\x80\xA6'");
}
