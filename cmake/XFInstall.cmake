# `cmake --install` rules: headers (hand-written, generated and ODS), the
# libraries and tools, the docs, the Python module, and the XF CMake package
# (XFConfig.cmake) that examples/downstream/ finds with find_package(XF).
include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

set(XF_INSTALL_PACKAGE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/xf)

# add_mlir_library() puts every xf library in the export set named
# MLIRTargets (LLVMDistributionSupport.cmake names sets after the project of
# the helper); it is installed below as XFTargets.cmake. Their headers are
# found under the installed include/.
# A sanitized build (scripts/asan-build.sh) installs instrumented libraries:
# what links them links the sanitizer runtimes (and the coverage callbacks).
set(xf_sanitizer_link_options)
if(LLVM_USE_SANITIZER MATCHES "Address")
  list(APPEND xf_sanitizer_link_options -fsanitize=address)
endif()
if(LLVM_USE_SANITIZER MATCHES "Undefined")
  list(APPEND xf_sanitizer_link_options -fsanitize=undefined)
endif()
if(LLVM_USE_SANITIZE_COVERAGE)
  list(APPEND xf_sanitizer_link_options -fsanitize=fuzzer-no-link)
endif()
get_property(xf_libraries GLOBAL PROPERTY MLIR_EXPORTS)
foreach(lib IN LISTS xf_libraries ITEMS xf_c)
  target_include_directories(${lib} INTERFACE
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  if(xf_sanitizer_link_options)
    target_link_options(${lib} INTERFACE
      $<INSTALL_INTERFACE:${xf_sanitizer_link_options}>)
  endif()
endforeach()

install(TARGETS xf_c xf-opt xf-translate xf-run xf-lsp-server xf-reduce
  EXPORT MLIRTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT MLIRTargets FILE XFTargets.cmake NAMESPACE XF::
  DESTINATION ${XF_INSTALL_PACKAGE_DIR})

install(DIRECTORY include/xf include/xf-c
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h" PATTERN "*.td")
install(DIRECTORY ${XF_BINARY_DIR}/include/xf
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.inc")
# The ODS sources, so that downstream TableGen can `include "xf/Xf.td"`.
install(DIRECTORY dialects/xf dialects/xf_cpu
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.td")
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
  FILES_MATCHING PATTERN "*.md")
install(FILES python/xf.py DESTINATION ${CMAKE_INSTALL_DATADIR}/xf/python)

configure_package_config_file(cmake/XFConfig.cmake.in
  ${XF_BINARY_DIR}/cmake/XFConfig.cmake
  INSTALL_DESTINATION ${XF_INSTALL_PACKAGE_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_BINDIR)
write_basic_package_version_file(${XF_BINARY_DIR}/cmake/XFConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${XF_BINARY_DIR}/cmake/XFConfig.cmake
  ${XF_BINARY_DIR}/cmake/XFConfigVersion.cmake
  DESTINATION ${XF_INSTALL_PACKAGE_DIR})
