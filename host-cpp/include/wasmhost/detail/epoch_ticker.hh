/**
 * \file wasmhost/detail/epoch_ticker.hh
 * The wall clock behind `WasmHostOptions::timeout_ms`: a thread that advances
 * an engine's epoch once per tick.
 */
#ifndef WASMHOST_DETAIL_EPOCH_TICKER_HH
#define WASMHOST_DETAIL_EPOCH_TICKER_HH

#include <chrono>
#include <cstdint>
#include <memory>

#include <wasmtime.hh>

namespace wasmhost {
namespace detail {
/// Keeps an engine's epoch equal to the number of ticks of wall-clock time
/// since its construction, on its own thread, until its destruction (which
/// stops and joins the thread).
class EpochTicker {
public:
  EpochTicker(const wasmtime::Engine &engine, std::chrono::microseconds tick);
  ~EpochTicker();
  EpochTicker(const EpochTicker &) = delete;
  EpochTicker &operator=(const EpochTicker &) = delete;

  /// Ticks already due that the thread has not added to the epoch yet
  /// (it was not scheduled): a deadline must count them in, or it would
  /// come early when the thread catches up.
  [[nodiscard]] uint64_t pendingTicks() const;

private:
  struct State;
  std::unique_ptr<State> state_;
};
} // namespace detail

} // namespace wasmhost

#endif // WASMHOST_DETAIL_EPOCH_TICKER_HH
