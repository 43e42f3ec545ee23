# Third-party dependencies, all from Debian packages (scripts/setup-deps).
find_package(Threads REQUIRED)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
find_package(PkgConfig REQUIRED)
pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
pkg_check_modules(MUPARSER REQUIRED IMPORTED_TARGET muparser)
# ICU: Unicode NFC normalization and character properties for the tokenizer.
pkg_check_modules(ICU_UC REQUIRED IMPORTED_TARGET icu-uc)

# libtorch: Debian's libtorch-dev (CPU) or the one inside a CUDA PyTorch
# (scripts/device-build passes its cmake prefix path).
find_package(Torch REQUIRED)
# Mark the torch headers as system headers so that our -Werror does not
# trip on warnings inside them.
foreach(_t torch torch_library torch_cpu c10)
  if(TARGET ${_t})
    get_target_property(_inc ${_t} INTERFACE_INCLUDE_DIRECTORIES)
    if(_inc)
      set_target_properties(${_t} PROPERTIES INTERFACE_SYSTEM_INCLUDE_DIRECTORIES "${_inc}")
    endif()
  endif()
endforeach()
if(QIDLAB_CUDA STREQUAL "OFF")
  set(QIDLAB_HAVE_CUDA OFF)
elseif(TARGET torch_cuda OR TORCH_CUDA_LIBRARIES)
  set(QIDLAB_HAVE_CUDA ON)
else()
  set(QIDLAB_HAVE_CUDA OFF)
  if(QIDLAB_CUDA STREQUAL "ON")
    message(FATAL_ERROR "QIDLAB_CUDA=ON but this libtorch has no CUDA")
  endif()
endif()
message(STATUS "QiD Lab: libtorch ${Torch_VERSION}, CUDA: ${QIDLAB_HAVE_CUDA}")

if(QIDLAB_GUI)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets Charts Concurrent Svg SvgWidgets PrintSupport LinguistTools Test)
endif()
