// pool.*: what leasing an instance from `runtime::InstancePool` costs.
#include <memory>
#include <string>
#include <tuple>

#include "benches.hh"
#include "wasmhost/runtime/pool.hh"

namespace wasmhost::bench {

std::vector<Figure> measurePool(const std::string &guest, const Sizes &sizes) {
  // The options of the C++ layer's call figures (no time limit, no fuel),
  // so that this figure minus `call.h2g.wasmhost_by_name_ns` is the pool's.
  WasmHostOptions options;
  options.guest_stdout = false;
  options.timeout_ms = 0;
  WasmHost shared(guest, options);
  defineBenchImports(shared);
  runtime::PoolOptions pool_options;
  pool_options.max_instances = 1;
  auto pool = std::make_shared<runtime::InstancePool>(shared.prepareInstances(), pool_options);
  // `checkout(Reuse::Yes)` of the one idle instance, one `bench_add` by
  // name, the lease given back: the pool's lock, its condition variable
  // and the lease, not an instantiation (`start.instantiate_pre_pooling_us`).
  return {measure("pool.checkout_call_return_ns", sizes.reps, [pool, &sizes] {
    int32_t sum = 0;
    const auto start = Clock::now();
    for (uint32_t i = 0; i < sizes.calls; ++i) {
      runtime::Lease lease = pool->checkout(runtime::Reuse::Yes);
      auto result = lease->callFunction<std::tuple<int32_t>, std::tuple<int32_t, int32_t>>(
          "bench_add", {sum, 1});
      if (!result) {
        fail("bench_add", result.err().message());
      }
      sum = std::get<0>(result.ok());
    }
    const double ns = nanosecondsPer(start, sizes.calls);
    if (sum != static_cast<int32_t>(sizes.calls)) {
      fail("bench_add",
           "returned " + std::to_string(sum) + ", expected " + std::to_string(sizes.calls));
    }
    return ns;
  })};
}

} // namespace wasmhost::bench
