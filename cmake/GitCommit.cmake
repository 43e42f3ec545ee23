# Writes OUT (a header defining QIDLAB_GIT_COMMIT) from the git checkout at SRC,
# touching it only when the commit changes, so that a rebuild recompiles only
# the file that includes it. Run at every build by the qid_git_commit target.
set(_commit "unknown")
find_package(Git QUIET)
if(GIT_FOUND AND EXISTS "${SRC}/.git")
  execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SRC}" rev-parse HEAD
                  OUTPUT_VARIABLE _out RESULT_VARIABLE _rc OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(_rc EQUAL 0)
    set(_commit "${_out}")
    execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SRC}" status --porcelain --untracked-files=no
                    OUTPUT_VARIABLE _dirty RESULT_VARIABLE _rc2 ERROR_QUIET)
    if(_rc2 EQUAL 0 AND NOT _dirty STREQUAL "")
      set(_commit "${_commit}+dirty")
    endif()
  endif()
endif()
set(_content "#pragma once\n#define QIDLAB_GIT_COMMIT \"${_commit}\"\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" _old)
else()
  set(_old "")
endif()
if(NOT _old STREQUAL _content)
  file(WRITE "${OUT}" "${_content}")
endif()
