#include "wasmhost/runtime/size.hh"

#include <charconv>
#include <limits>

namespace wasmhost {

std::optional<uint64_t> parseCount(std::string_view text) {
  uint64_t value = 0;
  const char *end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || ptr != end) {
    return std::nullopt;
  }
  return value;
}

std::optional<uint64_t> parseByteSize(std::string_view text) {
  unsigned shift = 0;
  if (!text.empty()) {
    switch (text.back()) {
    case 'K':
    case 'k':
      shift = 10;
      break;
    case 'M':
    case 'm':
      shift = 20;
      break;
    case 'G':
    case 'g':
      shift = 30;
      break;
    default:
      break;
    }
  }
  auto value = parseCount(shift != 0 ? text.substr(0, text.size() - 1) : text);
  if (!value || *value > (std::numeric_limits<uint64_t>::max() >> shift)) {
    return std::nullopt;
  }
  return *value << shift;
}

} // namespace wasmhost
