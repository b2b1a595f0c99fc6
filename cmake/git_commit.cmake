# Writes OUT, a header defining SFA_GIT_COMMIT (`git describe` of SRC, or
# "unknown" without a git tree), only when it changes, so that a build
# after a commit recompiles the one file that includes it (EVIDENCE.md,
# Provenance).
execute_process(COMMAND git describe --always --dirty
                WORKING_DIRECTORY ${SRC}
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET)
if(NOT commit)
  set(commit "unknown")
endif()
set(text "#define SFA_GIT_COMMIT \"${commit}\"\n")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE ${OUT} "${text}")
endif()
