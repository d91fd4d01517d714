# WASMHOST_SANITIZE: a comma-separated list of sanitizers (e.g.
# "address,undefined") for the host, its library and its tests. Flags are
# added to targets with wasmhost_sanitize(<target>), never globally; the
# Rust-built Wasmtime library is not instrumented.
#
# Wasmtime turns wasm faults into traps with its own signal handlers
# (SIGSEGV, SIGBUS, SIGILL, SIGFPE), which it installs after the sanitizer
# runtime's and chains to for faults outside wasm. ASan must let it:
# allow_user_segv_handler=1. The options are baked into each sanitized
# binary (__asan_default_options, see sanitizer_defaults.cc) and set again
# as the tests' ENVIRONMENT; ASAN_OPTIONS in the environment overrides them.
include_guard(GLOBAL)

set(WASMHOST_SANITIZE "" CACHE STRING
  "Sanitizers for the host and its tests, e.g. address,undefined (empty: none)")

set(WASMHOST_ASAN_OPTIONS "allow_user_segv_handler=1:detect_leaks=1")
set(WASMHOST_UBSAN_OPTIONS "print_stacktrace=1:halt_on_error=1")

if(WASMHOST_SANITIZE)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    message(FATAL_ERROR "WASMHOST_SANITIZE needs GCC or Clang, not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  message(STATUS "Sanitizers: ${WASMHOST_SANITIZE} (ASAN_OPTIONS=${WASMHOST_ASAN_OPTIONS})")
  set(WASMHOST_SANITIZER_ENVIRONMENT
    "ASAN_OPTIONS=${WASMHOST_ASAN_OPTIONS}"
    "UBSAN_OPTIONS=${WASMHOST_UBSAN_OPTIONS}")
else()
  set(WASMHOST_SANITIZER_ENVIRONMENT "")
endif()

# wasmhost_sanitize(<target> [PUBLIC|PRIVATE]): compiles and links <target>
# with WASMHOST_SANITIZE; PUBLIC passes the flags on to its users.
function(wasmhost_sanitize target)
  if(NOT WASMHOST_SANITIZE)
    return()
  endif()
  set(scope PRIVATE)
  if(ARGC GREATER 1)
    set(scope ${ARGV1})
  endif()
  set(flags -fsanitize=${WASMHOST_SANITIZE} -fno-sanitize-recover=all
    -fno-omit-frame-pointer -g)
  target_compile_options(${target} ${scope} ${flags})
  target_link_options(${target} ${scope} -fsanitize=${WASMHOST_SANITIZE})
endfunction()

# wasmhost_sanitizer_defaults(<executable>): bakes WASMHOST_ASAN_OPTIONS and
# WASMHOST_UBSAN_OPTIONS into an executable, so that running it by hand
# works too.
function(wasmhost_sanitizer_defaults target)
  if(NOT WASMHOST_SANITIZE)
    return()
  endif()
  target_sources(${target} PRIVATE "${PROJECT_SOURCE_DIR}/cmake/sanitizer_defaults.cc")
  set_property(SOURCE "${PROJECT_SOURCE_DIR}/cmake/sanitizer_defaults.cc"
    TARGET_DIRECTORY ${target}
    APPEND PROPERTY COMPILE_DEFINITIONS
      "WASMHOST_ASAN_OPTIONS=\"${WASMHOST_ASAN_OPTIONS}\""
      "WASMHOST_UBSAN_OPTIONS=\"${WASMHOST_UBSAN_OPTIONS}\"")
endfunction()
