/**
 * \file wasmhost/detail/host_function.hh
 * Adapts a C++ callable into a Wasmtime host function that can never unwind
 * through wasm frames: a thrown exception becomes a trap with its message.
 *
 * Signatures of plain numbers (`int32_t`, `uint32_t`, `int64_t`, `uint64_t`,
 * `float`, `double`; returning nothing, one of them, a `std::tuple` of them or
 * a `wasmtime::Result` of those with a `Trap`) get a direct C callback for
 * `wasmtime_linker_define_func_unchecked`: the arguments are read from and
 * the results written to Wasmtime's value array with nothing in between.
 * Any other signature (a `Caller` parameter, references, `V128`) goes
 * through `Linker::func_wrap` of Wasmtime's C++ API, which costs a little
 * more per call (it copies the callable and returns through `std::optional`
 * and `Result`).
 */
#ifndef WASMHOST_DETAIL_HOST_FUNCTION_HH
#define WASMHOST_DETAIL_HOST_FUNCTION_HH

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <wasmtime.hh>

namespace wasmhost::detail {

/// A host function's callable and the name its traps quote. `WasmHost` keeps
/// it at a stable address for as long as its linker and store live.
template <typename Fn> struct HostFunction {
  std::string name;
  Fn fn;
};

inline wasm_trap_t *trapFor(const std::string &name, const std::exception &error) {
  return wasmtime::Trap("host function '" + name + "' threw: " + error.what()).capi_release();
}

inline wasm_trap_t *trapForUnknown(const std::string &name) {
  return wasmtime::Trap("host function '" + name + "' threw a non-standard exception")
      .capi_release();
}

// --- The direct path: numbers in and out of `wasmtime_val_raw_t`. -------------

/// A C++ number type and the wasm value type it travels as.
template <typename T> struct RawValue { static constexpr bool valid = false; };
#define WASMHOST_RAW_VALUE(native, kind_value, field)                                              \
  template <> struct RawValue<native> {                                                            \
    static constexpr bool valid = true;                                                            \
    static constexpr wasm_valkind_t kind = kind_value;                                             \
    static native load(const wasmtime_val_raw_t &raw) { return static_cast<native>(raw.field); }   \
    static void store(wasmtime_val_raw_t &raw, native value) {                                     \
      raw.field = static_cast<decltype(raw.field)>(value);                                         \
    }                                                                                              \
  };
WASMHOST_RAW_VALUE(int32_t, WASM_I32, i32)
WASMHOST_RAW_VALUE(uint32_t, WASM_I32, i32)
WASMHOST_RAW_VALUE(int64_t, WASM_I64, i64)
WASMHOST_RAW_VALUE(uint64_t, WASM_I64, i64)
WASMHOST_RAW_VALUE(float, WASM_F32, f32)
WASMHOST_RAW_VALUE(double, WASM_F64, f64)
#undef WASMHOST_RAW_VALUE

/// What a host function returns to wasm: nothing, one number or a tuple.
template <typename R> struct RawResults {
  static constexpr bool valid = RawValue<R>::valid;
  static std::vector<wasm_valkind_t> kinds() { return {RawValue<R>::kind}; }
  static void store(wasmtime_val_raw_t *raw, const R &value) { RawValue<R>::store(raw[0], value); }
};
template <> struct RawResults<void> {
  static constexpr bool valid = true;
  static std::vector<wasm_valkind_t> kinds() { return {}; }
};
template <> struct RawResults<std::monostate> : RawResults<void> {
  static void store(wasmtime_val_raw_t *, std::monostate) {}
};
template <typename... T> struct RawResults<std::tuple<T...>> {
  static constexpr bool valid = (RawValue<T>::valid && ...);
  static std::vector<wasm_valkind_t> kinds() { return {RawValue<T>::kind...}; }
  static void store(wasmtime_val_raw_t *raw, const std::tuple<T...> &values) {
    std::apply(
        [raw](const T &...value) {
          size_t index = 0;
          (RawValue<T>::store(raw[index++], value), ...);
        },
        values);
  }
};

/// A return type `R` or `Result<R, Trap>`: the values wasm gets, and
/// whether the function can fail.
template <typename R> struct RawReturn {
  using Values = R;
  static constexpr bool fallible = false;
};
template <typename R> struct RawReturn<wasmtime::Result<R, wasmtime::Trap>> {
  using Values = R;
  static constexpr bool fallible = true;
};

/// Whether `R(A...)` takes the direct path.
template <typename R, typename... A>
inline constexpr bool kRawSignature =
    (RawValue<std::decay_t<A>>::valid && ...) && RawResults<typename RawReturn<R>::Values>::valid;

/// The C callback of a host function on the direct path; `env` is its
/// `HostFunction<Fn>`. Every argument is read before any result is written
/// (they share the array).
template <typename Fn, typename R, typename... A>
wasm_trap_t *rawCallback(void *env, wasmtime_caller_t *, wasmtime_val_raw_t *args_and_results,
                         size_t) {
  auto *target = static_cast<HostFunction<Fn> *>(env);
  try {
    size_t index = 0;
    // Braced initialization evaluates left to right.
    std::tuple<std::decay_t<A>...> args{
        RawValue<std::decay_t<A>>::load(args_and_results[index++])...};
    (void)index;
    using Return = RawReturn<R>;
    if constexpr (std::is_void_v<R>) {
      std::apply(target->fn, std::move(args));
    } else if constexpr (Return::fallible) {
      auto result = std::apply(target->fn, std::move(args));
      if (!result) {
        return result.err().capi_release();
      }
      RawResults<typename Return::Values>::store(args_and_results, result.ok());
    } else {
      RawResults<R>::store(args_and_results, std::apply(target->fn, std::move(args)));
    }
    return nullptr;
  } catch (const std::exception &error) {
    return trapFor(target->name, error);
  } catch (...) {
    return trapForUnknown(target->name);
  }
}

/// The wasm types and the callback of the direct path for `R(A...)`.
struct RawHostFunction {
  std::vector<wasm_valkind_t> params;
  std::vector<wasm_valkind_t> results;
  wasmtime_func_unchecked_callback_t callback;
};

template <typename Fn, typename R, typename... A> RawHostFunction rawHostFunction(R (*)(A...)) {
  return {{RawValue<std::decay_t<A>>::kind...},
          RawResults<typename RawReturn<R>::Values>::kinds(),
          &rawCallback<Fn, R, A...>};
}

// --- The general path: `Linker::func_wrap`. -----------------------------------

/// `Result<R, Trap>` for every return type a host function may have.
template <typename R> struct TrapReturn { using type = wasmtime::Result<R, wasmtime::Trap>; };
template <> struct TrapReturn<void> {
  using type = wasmtime::Result<std::monostate, wasmtime::Trap>;
};
template <typename R> struct TrapReturn<wasmtime::Result<R, wasmtime::Trap>> {
  using type = wasmtime::Result<R, wasmtime::Trap>;
};

/// Wasmtime's C++ API copies the callable it wraps on every call into the
/// host (`WasmHostRet::invoke` takes it by value), so the lambda it gets
/// holds only a pointer: a call copies 8 bytes, not the name and `fn`.
template <typename Fn, typename R, typename... A>
auto trapOnException(HostFunction<Fn> *target, R (*)(A...)) {
  using Out = typename TrapReturn<R>::type;
  return [target](A... args) -> Out {
    try {
      if constexpr (std::is_void_v<R>) {
        target->fn(args...);
        return std::monostate();
      } else {
        return target->fn(args...);
      }
    } catch (const std::exception &error) {
      return wasmtime::Trap(trapFor(target->name, error));
    } catch (...) {
      return wasmtime::Trap(trapForUnknown(target->name));
    }
  };
}

template <typename F> struct PointerSignature;
template <typename R, typename... A> struct PointerSignature<R (*)(A...)> {
  using type = R (*)(A...);
};
template <typename R, typename C, typename... A> struct PointerSignature<R (C::*)(A...)> {
  using type = R (*)(A...);
};
template <typename R, typename C, typename... A> struct PointerSignature<R (C::*)(A...) const> {
  using type = R (*)(A...);
};

/// The plain function-pointer type with the signature of callable `F`.
template <typename F, typename = void> struct FunctionPointerOf {
  using type = typename PointerSignature<F>::type;
};
template <typename F> struct FunctionPointerOf<F, std::void_t<decltype(&F::operator())>> {
  using type = typename PointerSignature<decltype(&F::operator())>::type;
};

template <typename R, typename... A> constexpr bool isRawSignature(R (*)(A...)) {
  return kRawSignature<R, A...>;
}

/// Whether callable `Fn` takes the direct path.
template <typename Fn>
inline constexpr bool kDirectHostFunction = isRawSignature(typename FunctionPointerOf<Fn>::type{});

/// The callable to give `Linker::func_wrap` for `target`: any exception
/// `target->fn` throws is returned as a `Trap`. `target` must outlive it.
template <typename Fn> auto makeTrapSafe(HostFunction<Fn> *target) {
  using Pointer = typename FunctionPointerOf<Fn>::type;
  return trapOnException(target, Pointer{});
}

/// The direct path's types and callback for callable `Fn`.
template <typename Fn> RawHostFunction makeRawHostFunction() {
  using Pointer = typename FunctionPointerOf<Fn>::type;
  return rawHostFunction<Fn>(Pointer{});
}

} // namespace wasmhost::detail

#endif // WASMHOST_DETAIL_HOST_FUNCTION_HH
