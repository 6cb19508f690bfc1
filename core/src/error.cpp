#include "anime2vec/error.hpp"

#include <string>

namespace anime2vec {

namespace {

constexpr std::size_t kQuotedMaxBytes = 60;

void append_hex_byte(std::string& out, unsigned char byte) {
  const char* digits = "0123456789abcdef";
  out += "\\x";
  out.push_back(digits[byte >> 4]);
  out.push_back(digits[byte & 0x0F]);
}

}  // namespace

std::string location(std::string_view source, std::size_t line, std::string_view column) {
  std::string out(source);
  if (line > 0) {
    out += " line ";
    out += std::to_string(line);
  }
  if (!column.empty()) {
    out += ", column ";
    out += column;
  }
  out += ": ";
  return out;
}

std::string quote_value(std::string_view value) {
  std::size_t cut = value.size();
  bool shortened = false;
  if (cut > kQuotedMaxBytes) {
    cut = kQuotedMaxBytes;
    // Step back to a character boundary so the message stays valid UTF-8.
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
    shortened = true;
  }

  std::string out = "'";
  for (std::size_t i = 0; i < cut; ++i) {
    const auto byte = static_cast<unsigned char>(value[i]);
    if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      append_hex_byte(out, byte);
    } else {
      out.push_back(static_cast<char>(byte));
    }
  }
  if (shortened) out += "\xE2\x80\xA6";  // U+2026 HORIZONTAL ELLIPSIS
  out += "'";
  return out;
}

}  // namespace anime2vec
