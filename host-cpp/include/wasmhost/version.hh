/**
 * \file wasmhost/version.hh
 * The library's version (semantic versioning; see CHANGELOG.md). CMake reads
 * it from here for `project(VERSION)`, the package and `wasmhost.pc`.
 */
#ifndef WASMHOST_VERSION_HH
#define WASMHOST_VERSION_HH

#define WASMHOST_VERSION_MAJOR 0
#define WASMHOST_VERSION_MINOR 2
#define WASMHOST_VERSION_PATCH 0
#define WASMHOST_VERSION_STRING "0.2.0"

#endif // WASMHOST_VERSION_HH
