#include "wasmhost/runtime/manifest.hh"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "sha256.hh"
#include "wasmhost/errors.hh"
#include "wasmhost/plugin.hh"
#include "wasmhost/runtime/size.hh"

namespace wasmhost {
namespace {

using Json = nlohmann::json;

/// At most this many characters of a bad value are quoted in an error.
constexpr size_t kMaxQuotedValue = 60;

/// `value` as JSON text, cut to `kMaxQuotedValue` characters.
std::string quoted(const Json &value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > kMaxQuotedValue) {
    text.resize(kMaxQuotedValue);
    text += "...";
  }
  return text;
}

/// The manifest's text, at most `kMaxManifestBytes`. Throws `Error` (`Io`).
std::string readManifestText(const std::filesystem::path &file) {
  const std::string name = "manifest '" + file.string() + "'";
  std::error_code status_error;
  const auto status = std::filesystem::status(file, status_error);
  if (status.type() == std::filesystem::file_type::directory) {
    throw Error(ErrorKind::Io, "cannot read " + name + ": Is a directory");
  }
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    throw Error(ErrorKind::Io, "cannot read " + name + ": not a regular file");
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::Io,
                "cannot open " + name + ": " + std::generic_category().message(errno));
  }
  // One byte past the bound tells a file that is too large, whatever its
  // size said when it was looked at.
  std::string text(kMaxManifestBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) {
    throw Error(ErrorKind::Io, "cannot read " + name);
  }
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxManifestBytes) {
    throw Error(ErrorKind::Io, "cannot read " + name + ": larger than " +
                                   std::to_string(kMaxManifestBytes) +
                                   " bytes (1 MiB), the most a manifest may be");
  }
  return text;
}

/// Line and column (both from 1) of the byte at `offset` in `text`.
std::pair<size_t, size_t> lineAndColumn(const std::string &text, size_t offset) {
  offset = std::min(offset, text.size());
  const size_t line =
      1 + static_cast<size_t>(
              std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
  const size_t line_start = offset == 0 ? std::string::npos : text.rfind('\n', offset - 1);
  const size_t column = line_start == std::string::npos ? offset + 1 : offset - line_start;
  return {line, column};
}

/// Reads the manifest's JSON into `Manifest`, key by key, each error naming
/// the file, the key path and the value.
class ManifestReader {
public:
  explicit ManifestReader(const std::filesystem::path &file)
      : name_("manifest '" + file.string() + "'"), folder_(file.parent_path()) {
    manifest_.file = file;
  }

  Manifest read(const std::string &text) {
    Json root = parse(text);
    if (!root.is_object()) {
      fail("", "must be a JSON object, not " + quoted(root));
    }
    allowOnly(root, "", {"wasm", "limits", "wasi", "config", "pool"});
    readWasm(root);
    if (const Json *limits = section(root, "", "limits")) {
      readLimits(*limits);
    }
    if (const Json *wasi = section(root, "", "wasi")) {
      readWasi(*wasi);
    }
    if (const Json *config = section(root, "", "config")) {
      manifest_.options.config = stringMap(*config, "config", /*allow_nul=*/true);
      manifest_.keys.insert("config");
    }
    if (const Json *pool = section(root, "", "pool")) {
      allowOnly(*pool, "pool", {"size"});
      if (const Json *size = member(*pool, "size")) {
        const uint64_t value = count(*size, "pool.size", "a whole number of instances");
        if (value == 0) {
          fail("pool.size", "needs at least 1 instance, not 0");
        }
        manifest_.pool_size = value;
        manifest_.keys.insert("pool.size");
      }
    }
    return std::move(manifest_);
  }

private:
  [[noreturn]] void fail(const std::string &key_path, const std::string &problem) const {
    throw Error(ErrorKind::Manifest,
                name_ + ": " + (key_path.empty() ? "the top level" : key_path) + " " + problem);
  }

  Json parse(const std::string &text) const {
    try {
      return Json::parse(text);
    } catch (const Json::parse_error &error) {
      // `byte` counts from 1 and points at the byte the parser stopped at.
      const auto [line, column] = lineAndColumn(text, error.byte == 0 ? 0 : error.byte - 1);
      std::string what = error.what();
      const size_t detail = what.find(": ", what.find("parse error"));
      what = detail == std::string::npos ? what : what.substr(detail + 2);
      throw Error(ErrorKind::Manifest, name_ + ": invalid JSON at line " + std::to_string(line) +
                                           ", column " + std::to_string(column) + ": " + what);
    }
  }

  static std::string joined(const std::string &key_path, const std::string &key) {
    return key_path.empty() ? key : key_path + "." + key;
  }

  /// Refuses every key of `object` not in `known`, naming it and the known ones.
  void allowOnly(const Json &object, const std::string &key_path,
                 std::initializer_list<const char *> known) const {
    for (const auto &item : object.items()) {
      if (std::none_of(known.begin(), known.end(),
                       [&item](const char *name) { return item.key() == name; })) {
        std::string names;
        for (const char *name : known) {
          names += (names.empty() ? "" : ", ") + std::string(name);
        }
        throw Error(ErrorKind::Manifest,
                    name_ + ": unknown key " + joined(key_path, item.key()) + " (" +
                        (key_path.empty() ? "the top level" : key_path) + " has: " + names + ")");
      }
    }
  }

  static const Json *member(const Json &object, const char *key) {
    auto found = object.find(key);
    return found == object.end() ? nullptr : &*found;
  }

  /// The object at `key` of `parent`, null when absent; anything else is an error.
  const Json *section(const Json &parent, const std::string &parent_path, const char *key) const {
    const Json *value = member(parent, key);
    if (value != nullptr && !value->is_object()) {
      fail(joined(parent_path, key), "must be an object, not " + quoted(*value));
    }
    return value;
  }

  /// A whole number >= 0 (JSON `5`, also `5.0`, as JSON Schema's integer).
  uint64_t count(const Json &value, const std::string &key_path, const char *what) const {
    if (value.is_number_unsigned()) {
      return value.get<uint64_t>();
    }
    if (value.is_number_float()) {
      const double number = value.get<double>();
      // 2^64 is exactly representable; below it every integral double fits.
      if (number >= 0 && number < 18446744073709551616.0 && std::floor(number) == number) {
        return static_cast<uint64_t>(number);
      }
    }
    fail(key_path, std::string("needs ") + what + ", not " + quoted(value));
  }

  std::string string(const Json &value, const std::string &key_path, const char *what,
                     bool allow_empty = false, bool allow_nul = false) const {
    if (!value.is_string()) {
      fail(key_path, std::string("needs ") + what + ", not " + quoted(value));
    }
    std::string text = value.get<std::string>();
    if (!allow_empty && text.empty()) {
      fail(key_path, std::string("needs ") + what + ", not an empty string");
    }
    if (!allow_nul && text.find('\0') != std::string::npos) {
      fail(key_path,
           std::string("needs ") + what + " without a NUL character, not " + quoted(value));
    }
    return text;
  }

  bool boolean(const Json &value, const std::string &key_path) const {
    if (!value.is_boolean()) {
      fail(key_path, "needs true or false, not " + quoted(value));
    }
    return value.get<bool>();
  }

  std::map<std::string, std::string> stringMap(const Json &object, const std::string &key_path,
                                               bool allow_nul) const {
    std::map<std::string, std::string> values;
    for (const auto &item : object.items()) {
      values[item.key()] = string(item.value(), joined(key_path, item.key()), "a string",
                                  /*allow_empty=*/true, allow_nul);
    }
    return values;
  }

  /// `path` (from the manifest), relative ones against the manifest's folder.
  std::filesystem::path resolved(const std::string &path) const {
    const std::filesystem::path given(path);
    return given.is_absolute() ? given : folder_ / given;
  }

  void readWasm(const Json &root) {
    const Json *wasm = section(root, "", "wasm");
    if (wasm == nullptr) {
      fail("wasm.path", "is missing: the manifest must name the wasm file");
    }
    allowOnly(*wasm, "wasm", {"path", "sha256"});
    const Json *path = member(*wasm, "path");
    if (path == nullptr) {
      fail("wasm.path", "is missing: the manifest must name the wasm file");
    }
    manifest_.wasm_path = resolved(string(*path, "wasm.path", "a file name"));
    manifest_.keys.insert("wasm.path");
    if (const Json *sha256 = member(*wasm, "sha256")) {
      std::string hex = string(*sha256, "wasm.sha256", "64 hexadecimal digits");
      std::transform(hex.begin(), hex.end(), hex.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (hex.size() != 64 || hex.find_first_not_of("0123456789abcdef") != std::string::npos) {
        fail("wasm.sha256", "needs 64 hexadecimal digits, not " + quoted(*sha256));
      }
      manifest_.wasm_sha256 = hex;
      manifest_.keys.insert("wasm.sha256");
    }
  }

  void readLimits(const Json &limits) {
    allowOnly(limits, "limits",
              {"timeout_ms", "fuel", "max_memory", "max_tables", "max_table_elements",
               "compile_timeout_ms"});
    WasmHostOptions &options = manifest_.options;
    const std::pair<const char *, uint64_t *> counts[] = {
        {"timeout_ms", &options.timeout_ms},
        {"fuel", &options.fuel},
        {"max_tables", &options.max_tables},
        {"max_table_elements", &options.max_table_elements},
        {"compile_timeout_ms", &options.compile_timeout_ms}};
    for (const auto &[key, target] : counts) {
      if (const Json *value = member(limits, key)) {
        const std::string key_path = joined("limits", key);
        const bool milliseconds = std::string_view(key).ends_with("_ms");
        *target = count(*value, key_path,
                        milliseconds ? "a whole number of milliseconds" : "a whole number");
        manifest_.keys.insert(key_path);
      }
    }
    if (const Json *value = member(limits, "max_memory")) {
      constexpr const char *kWhat =
          "a size in bytes (a whole number, or a string with suffix K, M or G)";
      std::optional<uint64_t> bytes;
      if (value->is_string()) {
        bytes = parseByteSize(value->get<std::string>());
      } else if (value->is_number()) {
        bytes = count(*value, "limits.max_memory", kWhat);
      }
      if (!bytes) {
        fail("limits.max_memory", std::string("needs ") + kWhat + ", not " + quoted(*value));
      }
      options.max_memory_bytes = bytes;
      manifest_.keys.insert("limits.max_memory");
    }
  }

  void readWasi(const Json &wasi) {
    allowOnly(wasi, "wasi", {"preopens", "env", "args", "stdout", "stderr"});
    WasmHostOptions &options = manifest_.options;
    if (const Json *preopens = member(wasi, "preopens")) {
      if (!preopens->is_array()) {
        fail("wasi.preopens", "must be an array, not " + quoted(*preopens));
      }
      for (size_t i = 0; i < preopens->size(); ++i) {
        options.wasi.preopens.push_back(readPreopen((*preopens)[i], i));
      }
      manifest_.keys.insert("wasi.preopens");
    }
    if (const Json *env = section(wasi, "wasi", "env")) {
      for (const auto &item : env->items()) {
        const std::string key_path = "wasi.env." + item.key();
        if (item.key().empty() ||
            item.key().find_first_of(std::string("=\0", 2)) != std::string::npos) {
          fail("wasi.env", "has a variable name WASI cannot carry (empty, or with '=' or NUL): " +
                               quoted(Json(item.key())));
        }
        options.wasi.env[item.key()] =
            string(item.value(), key_path, "a string", /*allow_empty=*/true);
      }
      manifest_.keys.insert("wasi.env");
    }
    if (const Json *args = member(wasi, "args")) {
      if (!args->is_array()) {
        fail("wasi.args", "must be an array of strings, not " + quoted(*args));
      }
      for (size_t i = 0; i < args->size(); ++i) {
        options.wasi.args.push_back(string((*args)[i], "wasi.args[" + std::to_string(i) + "]",
                                           "a string", /*allow_empty=*/true));
      }
      manifest_.keys.insert("wasi.args");
    }
    if (const Json *value = member(wasi, "stdout")) {
      options.guest_stdout = boolean(*value, "wasi.stdout");
      manifest_.keys.insert("wasi.stdout");
    }
    if (const Json *value = member(wasi, "stderr")) {
      options.guest_stderr = boolean(*value, "wasi.stderr");
      manifest_.keys.insert("wasi.stderr");
    }
  }

  Preopen readPreopen(const Json &entry, size_t index) const {
    const std::string key_path = "wasi.preopens[" + std::to_string(index) + "]";
    if (!entry.is_object()) {
      fail(key_path, "must be an object with host, guest and mode, not " + quoted(entry));
    }
    allowOnly(entry, key_path, {"host", "guest", "mode"});
    const Json *host = member(entry, "host");
    const Json *guest = member(entry, "guest");
    if (host == nullptr || guest == nullptr) {
      fail(joined(key_path, host == nullptr ? "host" : "guest"),
           "is missing: a preopen needs a host folder and its guest path");
    }
    Preopen preopen;
    preopen.host_path = resolved(string(*host, joined(key_path, "host"), "a folder")).string();
    preopen.guest_path = string(*guest, joined(key_path, "guest"), "an absolute guest path");
    if (preopen.guest_path.front() != '/') {
      fail(joined(key_path, "guest"),
           "needs an absolute guest path (starting with /), not " + quoted(*guest));
    }
    if (const Json *mode = member(entry, "mode")) {
      const std::string text = mode->is_string() ? mode->get<std::string>() : "";
      if (text != "ro" && text != "rw") {
        fail(joined(key_path, "mode"), "needs \"ro\" or \"rw\", not " + quoted(*mode));
      }
      preopen.read_only = text == "ro";
    }
    return preopen;
  }

  std::string name_;
  std::filesystem::path folder_;
  Manifest manifest_;
};

/// Refuses the wasm file unless its SHA-256 is `expected`.
void checkSha256(const Manifest &manifest, const std::string &expected) {
  std::vector<uint8_t> bytes;
  try {
    bytes = Plugin::readModuleFile(manifest.wasm_path.string(), manifest.options.max_module_bytes);
  } catch (const Error &error) {
    throw Error(error.kind(), "manifest '" + manifest.file.string() +
                                  "': cannot check wasm.sha256: " + error.what());
  }
  const std::string actual = Sha256::hex(Sha256::of(bytes));
  if (actual != expected) {
    throw Error(ErrorKind::Manifest, "manifest '" + manifest.file.string() + "': wasm.sha256 is " +
                                         expected + " but '" + manifest.wasm_path.string() +
                                         "' has SHA-256 " + actual);
  }
}

} // namespace

Manifest loadManifest(const std::filesystem::path &file) {
  Manifest manifest = ManifestReader(file).read(readManifestText(file));
  if (manifest.wasm_sha256) {
    checkSha256(manifest, *manifest.wasm_sha256);
  }
  return manifest;
}

} // namespace wasmhost
