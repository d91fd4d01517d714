#include "call_export.hh"

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace wasmhost::app {
namespace {

/// The shortest text that reads back to the same bits (`std::to_chars`):
/// `16777216`, `3.141592653589793`, `nan`, `inf`, `-inf`, `-0`.
template <typename Float> std::string shortestText(Float value) {
  char text[64];
  const auto written = std::to_chars(text, text + sizeof text, value);
  return std::string(text, written.ptr);
}

/// Parses a whole decimal integer that fits `Signed` or its unsigned
/// counterpart (so u32/u64 arguments can be written as such).
template <typename Signed> std::optional<Signed> parseInteger(const std::string &text) {
  using Unsigned = std::make_unsigned_t<Signed>;
  const char *begin = text.data();
  const char *end = text.data() + text.size();
  Signed value{};
  auto [ptr, error] = std::from_chars(begin, end, value);
  if (error == std::errc() && ptr == end) {
    return value;
  }
  Unsigned unsigned_value{};
  auto [uptr, uerror] = std::from_chars(begin, end, unsigned_value);
  if (uerror == std::errc() && uptr == end) {
    return static_cast<Signed>(unsigned_value);
  }
  return std::nullopt;
}

template <typename Float> std::optional<Float> parseFloat(const std::string &text) {
  const char *begin = text.data();
  const char *end = text.data() + text.size();
  Float value{};
  auto [ptr, error] = std::from_chars(begin, end, value);
  if (error == std::errc() && ptr == end) {
    return value;
  }
  return std::nullopt;
}

std::optional<wasmtime::Val> parseValue(const wasmtime::ValType &type, const std::string &text) {
  if (type.is_i32()) {
    if (auto value = parseInteger<int32_t>(text)) {
      return wasmtime::Val(*value);
    }
  } else if (type.is_i64()) {
    if (auto value = parseInteger<int64_t>(text)) {
      return wasmtime::Val(*value);
    }
  } else if (type.is_f32()) {
    if (auto value = parseFloat<float>(text)) {
      return wasmtime::Val(*value);
    }
  } else if (type.is_f64()) {
    if (auto value = parseFloat<double>(text)) {
      return wasmtime::Val(*value);
    }
  }
  return std::nullopt;
}

} // namespace

std::vector<wasmtime::Val> parseCallArguments(const std::string &export_name,
                                              wasmtime::FuncType type,
                                              const std::vector<std::string> &args) {
  const auto params = type->params();
  if (params.size() != args.size()) {
    throw std::invalid_argument("'" + export_name + "' takes " + std::to_string(params.size()) +
                                " argument(s), " + std::to_string(args.size()) + " given");
  }
  std::vector<wasmtime::Val> values;
  size_t index = 0;
  for (const auto &param : params) {
    wasmtime::ValType param_type(param);
    auto value = parseValue(param_type, args[index]);
    if (!value) {
      std::ostringstream message;
      message << "argument " << index + 1 << " of '" << export_name << "' ('" << args[index]
              << "') is not a valid " << param_type;
      throw std::invalid_argument(message.str());
    }
    values.push_back(*value);
    ++index;
  }
  return values;
}

std::string formatFloat(double value) { return shortestText(value); }
std::string formatFloat(float value) { return shortestText(value); }

std::string formatV128(const wasmtime::V128 &value) {
  // Four i32 lanes, lane 0 first, each as 8 hex digits (wasm is little-endian).
  std::string text = "i32x4";
  for (int lane = 0; lane < 4; ++lane) {
    uint32_t bits = 0;
    std::memcpy(&bits, &value.v128[lane * 4], sizeof bits);
    char hex[12];
    std::snprintf(hex, sizeof hex, " 0x%08x", bits);
    text += hex;
  }
  return text;
}

std::string formatCallResults(const std::vector<wasmtime::Val> &results) {
  std::string out;
  const char *separator = "";
  for (const auto &result : results) {
    out += separator;
    switch (result.kind()) {
    case wasmtime::ValKind::I32:
      out += std::to_string(result.i32());
      break;
    case wasmtime::ValKind::I64:
      out += std::to_string(result.i64());
      break;
    case wasmtime::ValKind::F32:
      out += formatFloat(result.f32());
      break;
    case wasmtime::ValKind::F64:
      out += formatFloat(result.f64());
      break;
    case wasmtime::ValKind::V128:
      out += formatV128(result.v128());
      break;
    case wasmtime::ValKind::FuncRef:
      out += result.funcref() ? "funcref" : "funcref:null";
      break;
    case wasmtime::ValKind::ExternRef:
      out += result.externref() ? "externref" : "externref:null";
      break;
    case wasmtime::ValKind::AnyRef:
      out += result.anyref() ? "anyref" : "anyref:null";
      break;
    default:
      out += "exnref";
      break;
    }
    separator = " ";
  }
  return out;
}

} // namespace wasmhost::app
