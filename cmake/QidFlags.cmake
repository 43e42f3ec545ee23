# One INTERFACE target carries the language level and the warnings; every
# target of the project links it (qBittorrent's CommonConfig pattern).
add_library(qid_flags INTERFACE)
target_compile_features(qid_flags INTERFACE cxx_std_20)
set(CMAKE_CXX_EXTENSIONS OFF)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(qid_flags INTERFACE
    -Wall -Wextra -Wshadow=local -Wnon-virtual-dtor -Wcast-align
    -Wunused -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)
  if(QIDLAB_WERROR)
    target_compile_options(qid_flags INTERFACE -Werror)
  endif()
endif()
target_compile_definitions(qid_flags INTERFACE
  QIDLAB_VERSION="${PROJECT_VERSION}")
