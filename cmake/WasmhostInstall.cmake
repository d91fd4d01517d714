# Install rules and package files (WASMHOST_INSTALL, on for the main project).
#
# `cmake --install <build> --prefix P` gives a self-contained prefix: the
# library and its headers, the CMake package wasmhost (find_package), a
# wasmhost.pc (pkg-config), the licences, and the Wasmtime it is built on
# (libwasmtime.a and its headers), so that a consumer needs neither cargo nor
# the Wasmtime cache (with the wheel provider libwasmtime.so instead, which
# every program built on the package loads at run time: its RUNPATH names the
# folder). Wasmtime goes to folders of wasmhost's own
# (lib/wasmhost/, include/wasmhost/third_party/wasmtime/), never over another
# Wasmtime installed in the same prefix. The prefix may be moved: every path
# in the package files is relative to them.
#
# The build tree is a package too (export()): -Dwasmhost_DIR=<build folder>.
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(WASMHOST_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/wasmhost" CACHE STRING
  "Where wasmhostConfig.cmake is installed (relative to the prefix)")
set(WASMHOST_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig" CACHE STRING
  "Where wasmhost.pc is installed (relative to the prefix)")
set(WASMHOST_INSTALL_WASMTIME_LIBDIR "${CMAKE_INSTALL_LIBDIR}/wasmhost")
set(WASMHOST_INSTALL_WASMTIME_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}/wasmhost/third_party/wasmtime")

if(WASMTIME_LIBRARY_KIND STREQUAL "SHARED")
  set(_wasmhost_wasmtime_file libwasmtime.so)
else()
  set(_wasmhost_wasmtime_file libwasmtime.a)
endif()
if(NOT WASMTIME_LIBRARY OR NOT WASMTIME_LIBRARY MATCHES "\\.(a|so)$" OR NOT WASMTIME_INCLUDE_DIR)
  message(FATAL_ERROR "WASMHOST_INSTALL copies Wasmtime's library and headers into the "
    "install prefix, but they are not known (library: '${WASMTIME_LIBRARY}', headers: "
    "'${WASMTIME_INCLUDE_DIR}'). A wasmtime::wasmtime defined before wasmhost needs an "
    "IMPORTED_LOCATION ending in .a (or .so) and the folder of wasmtime.h in its "
    "INTERFACE_INCLUDE_DIRECTORIES; or turn WASMHOST_INSTALL off.")
endif()
# A shared libwasmtime.so without a SONAME (the wheel's) is linked as -lwasmtime.
set(WASMHOST_CONFIG_WASMTIME_NO_SONAME FALSE)
if(WASMTIME_LIBRARY_KIND STREQUAL "SHARED")
  get_target_property(_wasmhost_no_soname wasmtime::wasmtime IMPORTED_NO_SONAME)
  if(_wasmhost_no_soname)
    set(WASMHOST_CONFIG_WASMTIME_NO_SONAME TRUE)
  endif()
endif()

# --- The library, its headers, Wasmtime. ----------------------------------------
install(TARGETS wasmhost EXPORT wasmhostTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/host-cpp/include/wasmhost"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(FILES "${WASMTIME_LIBRARY}" DESTINATION "${WASMHOST_INSTALL_WASMTIME_LIBDIR}"
  RENAME ${_wasmhost_wasmtime_file})
install(DIRECTORY "${WASMTIME_INCLUDE_DIR}/" DESTINATION "${WASMHOST_INSTALL_WASMTIME_INCLUDEDIR}")

# --- Licences: wasmhost's, and Wasmtime's for the library and headers above.
install(FILES "${PROJECT_SOURCE_DIR}/LICENSE" DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(FILES "${PROJECT_SOURCE_DIR}/cmake/wasmtime-c-api/LICENSE"
  DESTINATION "${CMAKE_INSTALL_DOCDIR}/third_party/wasmtime")

# --- The CMake package: wasmhost::wasmhost, and wasmtime::wasmtime re-created
# from the files above (wasmhostConfig.cmake.in). ----------------------------------
install(EXPORT wasmhostTargets NAMESPACE wasmhost::
  DESTINATION "${WASMHOST_INSTALL_CMAKEDIR}")
# 0.x: a minor version may break the API.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/wasmhostConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
set(WASMHOST_CONFIG_WASMTIME_LIBRARY "${WASMHOST_INSTALL_WASMTIME_LIBDIR}/${_wasmhost_wasmtime_file}")
set(WASMHOST_CONFIG_WASMTIME_INCLUDEDIR "${WASMHOST_INSTALL_WASMTIME_INCLUDEDIR}")
# wasmhost_wit_bindings()'s generator (wit-cpp-gen/CMakeLists.txt installs it
# when WASMHOST_WIT_BINDINGS is on; the package defines wasmhost::wit-cpp when
# it is there).
set(WASMHOST_CONFIG_WIT_CPP "${CMAKE_INSTALL_BINDIR}/wasmhost-wit-cpp${CMAKE_EXECUTABLE_SUFFIX}")
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/wasmhostConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/package/wasmhostConfig.cmake"
  INSTALL_DESTINATION "${WASMHOST_INSTALL_CMAKEDIR}"
  PATH_VARS WASMHOST_CONFIG_WASMTIME_LIBRARY WASMHOST_CONFIG_WASMTIME_INCLUDEDIR
            WASMHOST_CONFIG_WIT_CPP)
install(FILES "${PROJECT_BINARY_DIR}/package/wasmhostConfig.cmake"
  "${PROJECT_BINARY_DIR}/wasmhostConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/WasmhostWitBindings.cmake"
  DESTINATION "${WASMHOST_INSTALL_CMAKEDIR}")

# The build tree as a package: the same config, with Wasmtime where it was found.
export(EXPORT wasmhostTargets NAMESPACE wasmhost::
  FILE "${PROJECT_BINARY_DIR}/wasmhostTargets.cmake")
set(WASMHOST_CONFIG_WASMTIME_LIBRARY "${WASMTIME_LIBRARY}")
set(WASMHOST_CONFIG_WASMTIME_INCLUDEDIR "${WASMTIME_INCLUDE_DIR}")
set(WASMHOST_CONFIG_WIT_CPP "")
if(TARGET wasmhost::wit-cpp)
  get_target_property(WASMHOST_CONFIG_WIT_CPP wasmhost::wit-cpp IMPORTED_LOCATION)
endif()
configure_package_config_file("${PROJECT_SOURCE_DIR}/cmake/wasmhostConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/wasmhostConfig.cmake"
  INSTALL_DESTINATION "${PROJECT_BINARY_DIR}"
  INSTALL_PREFIX "${PROJECT_BINARY_DIR}"
  PATH_VARS WASMHOST_CONFIG_WASMTIME_LIBRARY WASMHOST_CONFIG_WASMTIME_INCLUDEDIR
            WASMHOST_CONFIG_WIT_CPP)
configure_file("${PROJECT_SOURCE_DIR}/cmake/WasmhostWitBindings.cmake"
  "${PROJECT_BINARY_DIR}/WasmhostWitBindings.cmake" COPYONLY)

# --- pkg-config: wasmhost.pc, relative to its own folder (${pcfiledir}). -----------
foreach(dir LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(WASMHOST_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(WASMHOST_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
if(IS_ABSOLUTE "${WASMHOST_INSTALL_PKGCONFIGDIR}")
  set(WASMHOST_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _pc_up "/prefix/${WASMHOST_INSTALL_PKGCONFIGDIR}" "/prefix")
  string(REGEX REPLACE "/$" "" _pc_up "${_pc_up}")
  set(WASMHOST_PC_PREFIX "\${pcfiledir}/${_pc_up}")
endif()
file(RELATIVE_PATH WASMHOST_PC_WASMTIME_LIBDIR "/prefix/${CMAKE_INSTALL_LIBDIR}"
  "/prefix/${WASMHOST_INSTALL_WASMTIME_LIBDIR}")
file(RELATIVE_PATH WASMHOST_PC_WASMTIME_INCLUDEDIR "/prefix/${CMAKE_INSTALL_INCLUDEDIR}"
  "/prefix/${WASMHOST_INSTALL_WASMTIME_INCLUDEDIR}")
# A sanitized library needs its sanitizer runtime in every program it is in.
set(WASMHOST_PC_SANITIZE "")
if(WASMHOST_SANITIZE)
  set(WASMHOST_PC_SANITIZE " -fsanitize=${WASMHOST_SANITIZE}")
endif()
# Static, Libs names the archive; shared, its folder (first, so that -lwasmtime
# finds no other Wasmtime in libdir) and the RUNPATH programs need.
string(TOLOWER "${WASMTIME_LIBRARY_KIND}" WASMHOST_PC_WASMTIME_KIND)
if(WASMTIME_LIBRARY_KIND STREQUAL "SHARED")
  set(WASMHOST_PC_LIBS "-L\${wasmtime_libdir} -L\${libdir} -lwasmhost -lwasmtime -Wl,-rpath,\${wasmtime_libdir} -lcrypto -lpthread -ldl -lm")
else()
  set(WASMHOST_PC_LIBS "-L\${libdir} -lwasmhost \${wasmtime_libdir}/libwasmtime.a -lcrypto -lpthread -ldl -lm")
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/wasmhost.pc.in" "${PROJECT_BINARY_DIR}/package/wasmhost.pc"
  @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/package/wasmhost.pc"
  DESTINATION "${WASMHOST_INSTALL_PKGCONFIGDIR}")
