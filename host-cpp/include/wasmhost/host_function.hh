/**
 * \file wasmhost/host_function.hh
 * Adapts a C++ callable into a Wasmtime host function that can never unwind
 * through wasm frames: a thrown exception becomes a trap with its message.
 */
#ifndef WASMHOST_HOST_FUNCTION_HH
#define WASMHOST_HOST_FUNCTION_HH

#include <exception>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include <wasmtime.hh>

namespace wasmhost::detail {

/// `Result<R, Trap>` for every return type a host function may have.
template <typename R> struct TrapReturn { using type = wasmtime::Result<R, wasmtime::Trap>; };
template <> struct TrapReturn<void> {
  using type = wasmtime::Result<std::monostate, wasmtime::Trap>;
};
template <typename R> struct TrapReturn<wasmtime::Result<R, wasmtime::Trap>> {
  using type = wasmtime::Result<R, wasmtime::Trap>;
};

template <typename Fn, typename R, typename... A>
auto trapOnException(std::string name, Fn fn, R (*)(A...)) {
  using Out = typename TrapReturn<R>::type;
  return [name = std::move(name), fn = std::move(fn)](A... args) mutable -> Out {
    try {
      if constexpr (std::is_void_v<R>) {
        fn(args...);
        return std::monostate();
      } else {
        return fn(args...);
      }
    } catch (const std::exception &error) {
      return wasmtime::Trap("host function '" + name + "' threw: " + error.what());
    } catch (...) {
      return wasmtime::Trap("host function '" + name + "' threw a non-standard exception");
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

/// Wraps `fn` so that any exception it throws is returned as a `Trap`.
template <typename F> auto makeTrapSafe(std::string name, F &&fn) {
  using Callable = std::decay_t<F>;
  using Pointer = typename FunctionPointerOf<Callable>::type;
  return trapOnException(std::move(name), Callable(std::forward<F>(fn)), Pointer{});
}

} // namespace wasmhost::detail

#endif // WASMHOST_HOST_FUNCTION_HH
