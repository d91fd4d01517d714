#include "store_setup.hh"

#include <algorithm>
#include <limits>
#include <ostream>
#include <string>

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

} // namespace

void setSandboxWasi(wasmtime::Store::Context context, const WasmHostOptions &options) {
  wasmtime::WasiConfig wasi;
  if (options.guest_stdout_stream != nullptr) {
    wasi_config_set_stdout_custom(wasi.capi(), writeToStream, options.guest_stdout_stream, nullptr);
  } else if (options.guest_stdout) {
    wasi.inherit_stdout();
  }
  if (options.guest_stderr_stream != nullptr) {
    wasi_config_set_stderr_custom(wasi.capi(), writeToStream, options.guest_stderr_stream, nullptr);
  } else if (options.guest_stderr) {
    wasi.inherit_stderr();
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
