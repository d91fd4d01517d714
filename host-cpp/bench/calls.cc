// call.*: host to guest, guest to host, and a native call.
#include <memory>
#include <string>
#include <tuple>

#include "benches.hh"

namespace wasmhost::bench {
namespace {

using AddParams = std::tuple<int32_t, int32_t>;
using AddResults = std::tuple<int32_t>;

void expectSum(const char *what, int32_t got, int32_t want) {
  if (got != want) {
    fail(what, "returned " + std::to_string(got) + ", expected " + std::to_string(want));
  }
}

/// The native baseline. `noinline` and the volatile pointer below keep the
/// compiler from inlining or hoisting the call: each is a real indirect call.
[[gnu::noinline]] int32_t nativeAdd(int32_t left, int32_t right) {
  return static_cast<int32_t>(static_cast<uint32_t>(left) + static_cast<uint32_t>(right));
}
int32_t (*volatile native_add)(int32_t, int32_t) = nativeAdd;

/// Runs `sum = add(sum)` `calls` times from 0 (each `add` adds 1) and
/// returns nanoseconds per call.
template <typename Add> double timeAdds(const char *what, uint32_t calls, Add &&add) {
  int32_t sum = 0;
  const auto start = Clock::now();
  for (uint32_t i = 0; i < calls; ++i) {
    sum = add(sum);
  }
  const double ns = nanosecondsPer(start, calls);
  expectSum(what, sum, static_cast<int32_t>(calls));
  return ns;
}

/// The result of a `bench_add` call, or throws.
inline int32_t sumOf(wasmtime::TrapResult<AddResults> result) {
  if (!result) {
    fail("bench_add", result.err().message());
  }
  return std::get<0>(result.ok());
}

/// `bench_add` through `WasmHost::callFunction`, by export name.
Candidate byName(WasmHost &host, const Sizes &sizes) {
  return {"call.h2g.wasmhost_by_name_ns", [&host, &sizes] {
            return timeAdds("bench_add", sizes.calls, [&host](int32_t sum) {
              return sumOf(host.callFunction<AddResults, AddParams>("bench_add", {sum, 1}));
            });
          }};
}

/// `bench_add` through the `TypedExport` handle `WasmHost` hands out.
Candidate typed(WasmHost &host, const Sizes &sizes) {
  auto add = unwrap("bench_add", host.getTypedExport<AddResults, AddParams>("bench_add"));
  return {"call.h2g.wasmhost_typed_ns", [add, &sizes] {
            return timeAdds("bench_add", sizes.calls, [&add](int32_t sum) {
              return sumOf(add.call({sum, 1}));
            });
          }};
}

/// The same through a host with the default options: a time limit (10 s)
/// armed before every call, what users run.
Candidate typedWithDefaults(WasmHost &defaults, const Sizes &sizes) {
  auto add = unwrap("bench_add", defaults.getTypedExport<AddResults, AddParams>("bench_add"));
  return {"call.h2g.wasmhost_default_options_ns", [add, &sizes] {
            return timeAdds("bench_add", sizes.calls, [&add](int32_t sum) {
              return sumOf(add.call({sum, 1}));
            });
          }};
}

/// `bench_add` through raw `wasmtime_func_call_unchecked`, same instance.
Candidate rawCall(WasmHost &host, const Sizes &sizes) {
  const wasmtime_func_t func = unwrap("bench_add", host.getFunction("bench_add")).capi();
  wasmtime_context_t *context = host.context().capi();
  return {"call.h2g.c_api_ns", [func, context, &sizes] {
            return timeAdds("bench_add", sizes.calls, [&func, context](int32_t sum) {
              wasmtime_val_raw_t args_and_results[2];
              args_and_results[0].i32 = sum;
              args_and_results[1].i32 = 1;
              wasm_trap_t *trap = nullptr;
              wasmtime_error_t *error =
                  wasmtime_func_call_unchecked(context, &func, args_and_results, 2, &trap);
              if (error != nullptr || trap != nullptr) {
                check("bench_add", error, trap);
              }
              return args_and_results[0].i32;
            });
          }};
}

Candidate native(const Sizes &sizes) {
  return {"call.native_ns", [&sizes] {
            return timeAdds("nativeAdd", sizes.native_calls,
                            [](int32_t sum) { return native_add(sum, 1); });
          }};
}

/// `bench_call_host(n)` through `WasmHost`, whose `env::host_bench_echo`
/// came from `defineHostFunction`: nanoseconds per guest-to-host call.
Candidate guestToWasmHost(WasmHost &host, const Sizes &sizes) {
  auto call_host =
      unwrap("bench_call_host",
             host.getTypedExport<std::tuple<int32_t>, std::tuple<int32_t>>("bench_call_host"));
  return {"call.g2h.wasmhost_ns", [call_host, &sizes] {
            const auto start = Clock::now();
            auto result = call_host.call({sizes.host_calls});
            const double ns = nanosecondsPer(start, static_cast<uint64_t>(sizes.host_calls));
            if (!result) {
              fail("bench_call_host", result.err().message());
            }
            expectSum("bench_call_host", std::get<0>(result.ok()), echoSum(sizes.host_calls));
            return ns;
          }};
}

/// A store of its own with the guest instantiated by `rawLinker`.
struct RawGuest {
  explicit RawGuest(WasmHost &host) : store(host.engine()) {
    setQuietWasi(store);
    auto linker = rawLinker(host.engine(), host.module());
    auto instance = unwrap("instantiating", linker.instantiate(store.context(), host.module()));
    if (auto init = instance.get(store.context(), "_initialize")) {
      unwrap("_initialize", std::get<wasmtime::Func>(*init).call(store.context(), {}));
    }
    auto item = instance.get(store.context(), "bench_call_host");
    if (!item || !std::holds_alternative<wasmtime::Func>(*item)) {
      fail("bench_call_host", "not exported");
    }
    bench_call_host = std::get<wasmtime::Func>(*item).capi();
  }

  wasmtime::Store store;
  wasmtime_func_t bench_call_host{};
};

/// The same with the raw C API: the echo defined with
/// `wasmtime_linker_define_func_unchecked`, `bench_call_host` called with
/// `wasmtime_func_call_unchecked`.
Candidate guestToRawHost(WasmHost &host, const Sizes &sizes) {
  auto guest = std::make_shared<RawGuest>(host);
  return {"call.g2h.c_api_ns", [guest, &sizes] {
            wasmtime_val_raw_t args_and_results[1];
            args_and_results[0].i32 = sizes.host_calls;
            wasm_trap_t *trap = nullptr;
            const auto start = Clock::now();
            wasmtime_error_t *error = wasmtime_func_call_unchecked(
                guest->store.context().capi(), &guest->bench_call_host, args_and_results, 1, &trap);
            const double ns = nanosecondsPer(start, static_cast<uint64_t>(sizes.host_calls));
            check("bench_call_host", error, trap);
            expectSum("bench_call_host", args_and_results[0].i32, echoSum(sizes.host_calls));
            return ns;
          }};
}

} // namespace

std::vector<Figure> measureCalls(WasmHost &host, WasmHost &defaults, const Sizes &sizes) {
  auto figures =
      measureInterleaved({byName(host, sizes), typed(host, sizes),
                          typedWithDefaults(defaults, sizes), rawCall(host, sizes), native(sizes)},
                         sizes.reps);
  for (auto &figure : measureInterleaved(
           {guestToWasmHost(host, sizes), guestToRawHost(host, sizes)}, sizes.reps)) {
    figures.push_back(std::move(figure));
  }
  return figures;
}

} // namespace wasmhost::bench
