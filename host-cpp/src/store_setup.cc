#include "store_setup.hh"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <ostream>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "runtime/guest_runtime.hh"
#include "wasmhost/errors.hh"

namespace wasmhost::detail {
namespace {

int64_t limiterValue(uint64_t value) {
  return static_cast<int64_t>(
      std::min<uint64_t>(value, static_cast<uint64_t>(std::numeric_limits<int64_t>::max())));
}

ptrdiff_t writeToStream(void *stream, const unsigned char *bytes, size_t size) {
  static_cast<std::ostream *>(stream)->write(reinterpret_cast<const char *>(bytes),
                                             static_cast<std::streamsize>(size));
  return static_cast<ptrdiff_t>(size);
}

/// `text` with each NUL byte written `\0`, for a message (`what()` would
/// end at the first one).
std::string printable(std::string_view text) {
  std::string shown;
  for (const char c : text) {
    shown += c == '\0' ? std::string("\\0") : std::string(1, c);
  }
  return shown;
}

} // namespace

void checkCapabilities(const WasiCapabilities &capabilities) {
  std::set<std::string> guest_paths;
  for (const auto &preopen : capabilities.preopens) {
    const std::string which =
        "preopen '" + printable(preopen.host_path) + "' at '" + printable(preopen.guest_path) + "'";
    if (preopen.guest_path.empty() || preopen.guest_path.front() != '/') {
      throw Error(ErrorKind::Io, which + ": the guest path must be absolute (start with '/')");
    }
    if (preopen.guest_path.find('\0') != std::string::npos ||
        preopen.host_path.find('\0') != std::string::npos) {
      throw Error(ErrorKind::Io, which + ": a path holds a NUL byte");
    }
    if (!guest_paths.insert(preopen.guest_path).second) {
      throw Error(ErrorKind::Io,
                  which + ": the guest path '" + preopen.guest_path + "' is granted twice");
    }
    std::error_code error;
    const auto status = std::filesystem::status(preopen.host_path, error);
    if (preopen.host_path.empty() || !std::filesystem::exists(status)) {
      throw Error(ErrorKind::Io, which + ": the host folder does not exist");
    }
    if (!std::filesystem::is_directory(status)) {
      throw Error(ErrorKind::Io, which + ": the host path is not a folder");
    }
  }
  for (const auto &[name, value] : capabilities.env) {
    if (name.empty() || name.find_first_of(std::string_view("=\0", 2)) != std::string::npos) {
      throw Error(ErrorKind::Io, "environment variable '" + printable(name) +
                                     "': a name must be non-empty, without '=' or NUL");
    }
    if (value.find('\0') != std::string::npos) {
      throw Error(ErrorKind::Io, "environment variable '" + name + "': the value holds a NUL byte");
    }
  }
  for (const auto &arg : capabilities.args) {
    if (arg.find('\0') != std::string::npos) {
      throw Error(ErrorKind::Io, "guest argument '" + printable(arg) + "' holds a NUL byte");
    }
  }
}

void setSandboxWasi(wasmtime::Store::Context context, const WasmHostOptions &options,
                    std::string_view module_name, runtime::detail::GuestLog *guest_log) {
  checkCapabilities(options.wasi);
  wasmtime::WasiConfig wasi;
  if (options.log_sink != nullptr && guest_log != nullptr) {
    wasi_config_set_stdout_custom(wasi.capi(), runtime::detail::GuestLog::writeStdout, guest_log,
                                  nullptr);
    wasi_config_set_stderr_custom(wasi.capi(), runtime::detail::GuestLog::writeStderr, guest_log,
                                  nullptr);
  } else {
    if (options.guest_stdout_stream != nullptr) {
      wasi_config_set_stdout_custom(wasi.capi(), writeToStream, options.guest_stdout_stream,
                                    nullptr);
    } else if (options.guest_stdout) {
      wasi.inherit_stdout();
    }
    if (options.guest_stderr_stream != nullptr) {
      wasi_config_set_stderr_custom(wasi.capi(), writeToStream, options.guest_stderr_stream,
                                    nullptr);
    } else if (options.guest_stderr) {
      wasi.inherit_stderr();
    }
  }
  const auto &granted = options.wasi;
  for (const auto &preopen : granted.preopens) {
    if (!wasi_config_preopen_dir(wasi.capi(), preopen.host_path.c_str(), preopen.guest_path.c_str(),
                                 !preopen.read_only)) {
      throw Error(ErrorKind::Io, "preopen '" + preopen.host_path + "' at '" + preopen.guest_path +
                                     "': WASI cannot open the host folder");
    }
  }
  if (!granted.env.empty()) {
    std::vector<const char *> names;
    std::vector<const char *> values;
    for (const auto &[name, value] : granted.env) {
      names.push_back(name.c_str());
      values.push_back(value.c_str());
    }
    if (!wasi_config_set_env(wasi.capi(), names.size(), names.data(), values.data())) {
      throw Error(ErrorKind::Io, "the guest's environment is not valid UTF-8");
    }
  }
  if (!granted.args.empty()) {
    std::vector<std::string> argv{std::filesystem::path(module_name).filename().string()};
    argv.insert(argv.end(), granted.args.begin(), granted.args.end());
    std::vector<const char *> pointers;
    for (const auto &arg : argv) {
      pointers.push_back(arg.c_str());
    }
    if (!wasi_config_set_argv(wasi.capi(), pointers.size(), pointers.data())) {
      throw Error(ErrorKind::Io, "the guest's arguments are not valid UTF-8");
    }
  }
  auto wasi_set_res = context.set_wasi(std::move(wasi));
  if (!wasi_set_res) {
    throw Error(ErrorKind::Io,
                "Failed setting WASI config in store: " + wasi_set_res.err().message());
  }
}

void applyStoreLimits(wasmtime::Store &store, const WasmHostOptions &options) {
  store.limiter(
      limiterValue(options.max_memory_bytes.value_or(WasmHostOptions::kDefaultMaxMemoryBytes)),
      limiterValue(options.max_table_elements), -1, limiterValue(options.max_tables),
      limiterValue(options.max_memories));
}

std::chrono::steady_clock::duration saturatedMilliseconds(uint64_t milliseconds) {
  constexpr uint64_t kLongest = uint64_t{1} << 40; // 34 years
  return std::chrono::milliseconds(static_cast<int64_t>(std::min(milliseconds, kLongest)));
}

} // namespace wasmhost::detail
